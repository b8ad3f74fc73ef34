"""SESSION_ENGINE: database sessions whose load reads the signed-in user with the session, one statement.

Django's database sessions cost a signed-in request two reads before the view: the session row (an
ORM .get(), compiled anew on every request, ~0.9 ms CPU) and then the user with their roles
(accounts.backends.user_with_roles). Here the session row carries the account's id beside its data
(`Session.user`, written from the data's _auth_user_id on every save), so one statement compiled once
per process reads the session and, LEFT JOINed, everything user_with_roles reads, built into a user
by the same code. The user is kept on this store, which lives for one request, and nowhere else:
nothing is cached across requests, so a revoked role, a logout in another process, a changed password
or a deactivated account shows on the very next request, as before. accounts.middleware takes the
request's user from here, with every check django.contrib.auth.get_user makes.
"""

from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.db import router
from django.utils import timezone

from zuofeng.accounts.backends import unread_sql, user_from_rows, user_values
from zuofeng.core.compiled import CompiledValues

_USER = "user__"  # the account, from the session


def _build(session_key: str):
    from zuofeng.accounts.models import Session

    meta = Session._meta
    # The unread count's recipient by the session key, not by the outer row's column: a subquery
    # the database runs once, not once per role assignment row.
    recipient = f"SELECT {meta.get_field('user').column} FROM {meta.db_table} WHERE {meta.pk.column} = %s"  # noqa: S608
    return (
        Session.objects.filter(session_key=session_key)
        .values("session_data", "expire_date", *user_values(_USER))
        .annotate(unread_reminders=unread_sql(recipient, [session_key]))
        .order_by(f"{_USER}role_assignments__id")
    )


_QUERY = CompiledValues(_build, "session_key")


class SessionStore(DatabaseSessionStore):
    # The account load() read with the session (None: anonymous, or not loaded); for this request only.
    loaded_user = None

    @classmethod
    def get_model_class(cls):
        from zuofeng.accounts.models import Session

        return Session

    def load(self) -> dict:
        self.loaded_user = None
        using = router.db_for_read(self.model)
        rows = _QUERY.run(using=using, session_key=self.session_key) if self.session_key else []
        # Expiry is checked here rather than in SQL (a moving datetime is no compiled parameter); an
        # expired row is treated as Django treats it: as no session, a new key when one is saved.
        if not rows or rows[0]["expire_date"] <= timezone.now():
            self._session_key = None
            return {}
        self.loaded_user = user_from_rows(rows, using=using, prefix=_USER)
        return self.decode(rows[0]["session_data"])

    def create_model_instance(self, data):
        return _with_user(super().create_model_instance(data), data)

    async def acreate_model_instance(self, data):
        return _with_user(await super().acreate_model_instance(data), data)


def _with_user(session, data: dict):
    user_id = data.get(SESSION_KEY)
    session.user_id = None if user_id is None else session._meta.get_field("user").to_python(user_id)
    return session
