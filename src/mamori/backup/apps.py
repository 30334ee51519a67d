from django.apps import AppConfig


class BackupConfig(AppConfig):
    name = "mamori.backup"
    label = "backup"
    verbose_name = "Backup and restore"
