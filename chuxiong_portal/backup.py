"""Application-level export and import of the portal's data as one JSON file.

What the file holds: every row of the project's own apps (the plan, zones, clusters, indicators, targets,
periods, obligations, dispatch reports, indicator values, progress results, evaluations, rankings, flags,
notifications, users with their roles) with its primary key, the full change history of reports, values,
rankings and flags (django-simple-history), the role groups and the admin's action log, and the uploaded files the
rows refer to (evidence files and signed letters of the private storage, base64 under "files").

What it leaves out: password hashes and API tokens, unless `include_credentials` is set (the file is then as
secret as the database); sessions and the login-attempt log (django-axes: pg_dump keeps those); content
types and permissions, which `migrate` recreates (they are
referred to by natural key, so their ids may differ). Without credentials every user is imported with an
unusable password (the office sets new ones, or each user resets theirs) and sync clients get new tokens
with `manage.py create_sync_client NAME`.

Rows keep their primary keys, so an import needs an empty, migrated database (`manage.py migrate`, nothing
else) with the same or a later schema; it refuses otherwise and writes nothing. The import runs in one
transaction, checks every foreign key at the end and resets the id sequences.
"""

import base64
import datetime as dt
import gzip
import json
import os
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core import serializers
from django.core.files.base import ContentFile
from django.core.management.color import no_style
from django.core.serializers.base import DeserializationError
from django.core.serializers.json import DjangoJSONEncoder
from django.core.serializers.python import Serializer as PythonSerializer
from django.db import DEFAULT_DB_ALIAS, IntegrityError, connections, models, transaction
from django.db.migrations.recorder import MigrationRecorder

FORMAT = "chuxiong-portal-export"
VERSION = 1
# Models outside the project's own apps that carry data worth keeping.
EXTRA_MODELS = ["auth.Group", "admin.LogEntry"]
CREDENTIAL_MODELS = ["authtoken.Token"]
# Groups are matched by name: they may already exist (roles_sync) with other ids.
NATURAL_PRIMARY_KEY_MODELS = {"auth.Group"}
# References to rows that `migrate` (content types, permissions) or roles_sync (groups) recreate with ids of
# their own are written as natural keys; every other reference as the plain id, which the import keeps. (The
# history tables keep ids of rows deleted since, e.g. a removed user: an id survives that, a lookup would not.)
NATURAL_KEY_TARGETS = {"contenttypes.ContentType", "auth.Permission", "auth.Group"}
BATCH = 1000


class BackupError(Exception):
    pass


def project_app_configs() -> list:
    """The apps of this checkout (tasks, indicators, …), not the libraries installed in its venv."""
    root = Path(settings.BASE_DIR).resolve()
    configs = []
    for config in apps.get_app_configs():
        path = Path(config.path).resolve()
        if path.is_relative_to(root) and "site-packages" not in path.parts:
            configs.append(config)
    return configs


def exported_models(*, include_credentials: bool = False) -> list[type[models.Model]]:
    """The models an export holds, each after the models it points to."""
    chosen = [model for config in project_app_configs() for model in config.get_models()]
    labels = EXTRA_MODELS + (CREDENTIAL_MODELS if include_credentials else [])
    chosen += [apps.get_model(label) for label in labels if _has_model(label)]
    chosen = [m for m in dict.fromkeys(chosen) if not m._meta.proxy and m._meta.managed]
    return _dependency_order(chosen)


def _has_model(label: str) -> bool:
    try:
        apps.get_model(label)
    except LookupError:
        return False
    return True


def _dependency_order(chosen: list[type[models.Model]]) -> list[type[models.Model]]:
    """Topological order over foreign keys (natural-key references must resolve while importing)."""
    remaining = list(chosen)
    ordered: list[type[models.Model]] = []
    while remaining:
        for model in remaining:
            relations = [*model._meta.fields, *model._meta.many_to_many]
            targets = {f.related_model for f in relations if f.is_relation and f.related_model is not model}
            if not any(target in remaining for target in targets):
                break
        else:  # a cycle: take the first one; constraints are checked once everything is in
            model = remaining[0]
        remaining.remove(model)
        ordered.append(model)
    return ordered


# --- export ----------------------------------------------------------------------------------------------


def data_export(*, path: str | Path, include_credentials: bool = False, using: str = DEFAULT_DB_ALIAS) -> Counter:
    """Write the export file (gzip when the name ends in .gz, mode 0600). Returns the rows per model."""
    counts: Counter = Counter()
    chosen = exported_models(include_credentials=include_credentials)
    header = {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "credentials": include_credentials,
        "migrations": _applied_migrations(using),
        "models": [m._meta.label_lower for m in chosen],
    }
    path = Path(path)
    partial = path.with_name(path.name + ".partial")  # the export appears under its name only when complete
    os.close(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600))
    os.chmod(partial, 0o600)  # also when the file was there before: it holds personal data
    connection = connections[using]
    snapshot = connection.vendor == "postgresql" and not connection.in_atomic_block
    try:
        with _open(partial, "wt") as out:
            # One object per line: a big export streams, and diffs of two exports stay readable.
            out.write(json.dumps(header, ensure_ascii=False)[:-1] + ', "objects": [\n')
            first = True
            with transaction.atomic(using=using):  # one consistent view of all tables
                if snapshot:
                    with connection.cursor() as cursor:
                        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
                for model in chosen:
                    for obj in _serialize(model, include_credentials=include_credentials, using=using):
                        out.write(("" if first else ",\n") + json.dumps(obj, cls=_Encoder, ensure_ascii=False))
                        first = False
                        counts[model._meta.label_lower] += 1
                # The uploaded files the rows refer to (evidence, signed letters), base64 in the same file.
                out.write('\n], "files": [\n')
                for number, entry in enumerate(_stored_files(chosen, using=using)):
                    out.write(("" if number == 0 else ",\n") + json.dumps(entry))
                    counts["files"] += 1
            out.write("\n]}\n")
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    partial.replace(path)
    return counts


def _serialize(model, *, include_credentials: bool, using: str) -> Iterator[dict]:
    natural_pk = model._meta.label in NATURAL_PRIMARY_KEY_MODELS
    is_user = model is apps.get_model(settings.AUTH_USER_MODEL)
    queryset = model._default_manager.using(using).order_by("pk")
    last = None
    while True:  # in primary-key batches, so that a large table never sits in memory whole
        batch = list((queryset if last is None else queryset.filter(pk__gt=last))[:BATCH])
        if not batch:
            return
        last = batch[-1].pk
        serializer = _Serializer()
        serializer.serialize(batch, use_natural_foreign_keys=True, use_natural_primary_keys=natural_pk)
        for obj in serializer.getvalue():
            if is_user and not include_credentials:
                obj["fields"]["password"] = make_password(None)  # unusable: the user sets a new one
            yield obj


class _Serializer(PythonSerializer):
    """Django's python serializer, with natural keys only for the references in NATURAL_KEY_TARGETS."""

    def handle_fk_field(self, obj, field):
        self.use_natural_foreign_keys = field.related_model._meta.label in NATURAL_KEY_TARGETS
        super().handle_fk_field(obj, field)

    def handle_m2m_field(self, obj, field):
        self.use_natural_foreign_keys = field.related_model._meta.label in NATURAL_KEY_TARGETS
        super().handle_m2m_field(obj, field)


class _Encoder(DjangoJSONEncoder):
    """Django's encoder, but datetimes and times keep their microseconds (Django's cuts them to milliseconds)."""

    def default(self, o):
        if isinstance(o, dt.datetime | dt.time):
            return o.isoformat()
        return super().default(o)


def _stored_files(chosen, *, using: str) -> Iterator[dict]:
    """Every file a FileField of an exported row names, with the field (whose storage holds it) and its content."""
    for model in chosen:
        for field in model._meta.concrete_fields:
            if not isinstance(field, models.FileField):
                continue
            names = (
                model._default_manager.using(using)
                .exclude(**{field.name: ""})
                .values_list(field.name, flat=True)
                .order_by("pk")
            )
            for name in names.iterator():
                if not field.storage.exists(name):
                    raise BackupError(f"{model._meta.label}.{field.name}: file {name} is missing from its storage")
                with field.storage.open(name, "rb") as handle:
                    yield {
                        "field": f"{model._meta.label}.{field.name}",
                        "name": name,
                        "content": base64.b64encode(handle.read()).decode(),
                    }


def _restore_files(entries: list[dict]) -> int:
    for entry in entries:
        label, _dot, field = entry["field"].rpartition(".")
        storage = apps.get_model(label)._meta.get_field(field).storage
        if storage.exists(entry["name"]):
            storage.delete(entry["name"])
        saved = storage.save(entry["name"], ContentFile(base64.b64decode(entry["content"])))
        if saved != entry["name"]:
            raise BackupError(f"file {entry['name']} was stored as {saved}")
    return len(entries)


def _applied_migrations(using: str) -> dict[str, list[str]]:
    applied: dict[str, list[str]] = {}
    for app, name in sorted(MigrationRecorder(connections[using]).applied_migrations()):
        applied.setdefault(app, []).append(name)
    return applied


def _open(path: Path, mode: str):
    opener = gzip.open if path.name.removesuffix(".partial").endswith(".gz") else open
    return opener(path, mode, encoding="utf-8")


# --- import ----------------------------------------------------------------------------------------------


def data_import(*, path: str | Path, using: str = DEFAULT_DB_ALIAS) -> Counter:
    """Load an export into an empty, migrated database. All or nothing. Returns the rows per model."""
    document = read_export(path)
    chosen = _dependency_order([apps.get_model(label) for label in document["models"]])
    labels = [model._meta.label_lower for model in chosen]
    _check_migrations(document["migrations"], using)
    _check_empty(chosen, using)
    counts: Counter = Counter()
    connection = connections[using]
    by_model: dict[str, list[dict]] = {}
    for obj in document["objects"]:
        by_model.setdefault(obj["model"], []).append(obj)
    try:
        with transaction.atomic(using=using), _history_off():
            with connection.constraint_checks_disabled():
                for label in labels:
                    loaded = _load(by_model.pop(label, []), using)
                    if loaded:
                        counts[label] = loaded
            if by_model:
                raise BackupError(f"the file holds rows of models it does not list: {', '.join(sorted(by_model))}")
            connection.check_constraints(table_names=[m._meta.db_table for m in chosen])
            _reset_sequences(chosen, using)
            files = _restore_files(document.get("files", []))
            if files:
                counts["files"] = files
    except (DeserializationError, IntegrityError) as error:
        raise BackupError(f"nothing imported: {error}") from error
    return counts


def read_export(path: str | Path) -> dict:
    path = Path(path)
    with _open(path, "rt") as source:
        document = json.load(source)
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise BackupError(f"{path} is not a portal export (written by `manage.py export_data`).")
    if document.get("version") != VERSION:
        raise BackupError(f"{path} has export version {document.get('version')}; this portal reads {VERSION}.")
    unknown = [label for label in document["models"] if not _has_model(label)]
    if unknown:
        raise BackupError(f"this portal has no model {', '.join(unknown)}: import with the version that exported.")
    return document


def _check_migrations(exported: dict[str, list[str]], using: str) -> None:
    applied = set(MigrationRecorder(connections[using]).applied_migrations())
    missing = sorted(f"{app}.{name}" for app, names in exported.items() for name in names if (app, name) not in applied)
    if missing:
        raise BackupError(
            "the database lacks migrations the export was made with (run `manage.py migrate` with the same or "
            f"a newer version of the portal): {', '.join(missing[:10])}"
        )


def _check_empty(chosen: Iterable[type[models.Model]], using: str) -> None:
    filled = [
        m._meta.label_lower
        for m in chosen
        if m._meta.label not in NATURAL_PRIMARY_KEY_MODELS and m._default_manager.using(using).exists()
    ]
    if filled:
        raise BackupError(
            "import needs an empty database (create it and run `manage.py migrate`, nothing else); "
            f"these tables have rows: {', '.join(filled)}"
        )


@contextmanager
def _history_off():
    """The export holds the history rows themselves: setting a many-to-many field while loading must not add
    history rows of its own (django-simple-history acts on m2m_changed even for raw saves)."""
    before = getattr(settings, "SIMPLE_HISTORY_ENABLED", True)
    settings.SIMPLE_HISTORY_ENABLED = False
    try:
        yield
    finally:
        settings.SIMPLE_HISTORY_ENABLED = before


def _load(objects: list[dict], using: str) -> int:
    """Deserialize and insert one model's rows: in bulk, or one by one where many-to-many data comes along."""
    count = 0
    for start in range(0, len(objects), BATCH):
        pending = []
        for item in serializers.deserialize(
            "python", objects[start : start + BATCH], using=using, handle_forward_references=True
        ):
            if (
                item.m2m_data
                or item.deferred_fields
                or item.object._meta.parents
                or item.object._meta.label in NATURAL_PRIMARY_KEY_MODELS
            ):
                item.save(using=using)  # raw save: no signals acted on, no history row added
                if item.deferred_fields:
                    item.save_deferred_fields(using=using)
            else:
                pending.append(item.object)
            count += 1
        if pending:
            _insert_raw(type(pending[0]), pending, using)
    return count


def _insert_raw(model, objects: list[models.Model], using: str) -> None:
    """INSERT rows exactly as given: like a raw save (auto_now dates kept, no signals) but in batches.

    bulk_create() would overwrite auto_now fields such as `updated_at` with the time of the import.
    """
    fields = model._meta.local_concrete_fields
    size = connections[using].ops.bulk_batch_size(fields, objects) or len(objects)
    manager = model._base_manager.using(using)
    for start in range(0, len(objects), size):
        manager._insert(objects[start : start + size], fields=fields, using=using, raw=True)


def _reset_sequences(chosen: list[type[models.Model]], using: str) -> None:
    connection = connections[using]
    statements = connection.ops.sequence_reset_sql(no_style(), chosen)
    if statements:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)
