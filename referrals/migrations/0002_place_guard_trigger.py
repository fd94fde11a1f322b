"""The database backs "no overbooking": on PostgreSQL a trigger refuses a referral row that would
take a place (accepted, started, interrupted) when the run's places are already taken.

The trigger locks the run row (FOR UPDATE) before it counts, so two transactions racing for the
last place are serialised by the database itself even if application code forgot its lock. The
setting ``triangle.skip_place_guard = 'on'`` switches it off for one session; only the test that
proves the concurrency test can see a race uses it. SQLite (development without services) has no
trigger; there the service's lock and check are the guard.
"""

from django.db import migrations

OCCUPYING = "('accepted', 'started', 'interrupted')"

CREATE = f"""
CREATE OR REPLACE FUNCTION referrals_guard_places() RETURNS trigger AS $$
DECLARE
    cap integer;
    taken integer;
BEGIN
    IF coalesce(current_setting('triangle.skip_place_guard', true), '') = 'on' THEN
        RETURN NEW;
    END IF;
    IF NEW.status NOT IN {OCCUPYING} THEN
        RETURN NEW;
    END IF;
    IF TG_OP = 'UPDATE' AND OLD.status IN {OCCUPYING} AND OLD.run_id = NEW.run_id THEN
        RETURN NEW;
    END IF;
    SELECT places INTO cap FROM measures_run WHERE id = NEW.run_id FOR UPDATE;
    SELECT count(*) INTO taken FROM referrals_referral
        WHERE run_id = NEW.run_id AND status IN {OCCUPYING} AND id IS DISTINCT FROM NEW.id;
    IF taken >= cap THEN
        RAISE EXCEPTION 'run % has no free place (% of % taken)', NEW.run_id, taken, cap
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER referrals_guard_places
    BEFORE INSERT OR UPDATE OF status, run_id ON referrals_referral
    FOR EACH ROW EXECUTE FUNCTION referrals_guard_places();
"""

DROP = """
DROP TRIGGER IF EXISTS referrals_guard_places ON referrals_referral;
DROP FUNCTION IF EXISTS referrals_guard_places();
"""


def _run(sql):
    def apply(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql, params=None)

    return apply


class Migration(migrations.Migration):
    dependencies = [("referrals", "0001_initial")]

    operations = [migrations.RunPython(_run(CREATE), _run(DROP))]
