"""People who log in (owner, staff DJs, clients) and the DJ business they work for."""

import zoneinfo

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, PermissionsMixin
from django.contrib.auth.models import UserManager as DjangoUserManager
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone


class Role(models.TextChoices):
    OWNER = "owner", "Owner"
    STAFF = "staff", "Staff DJ"
    CLIENT = "client", "Client"


class UserManager(DjangoUserManager):
    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An e-mail address is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("role", Role.CLIENT)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("role", Role.OWNER)
        return self._create_user(email, password, **extra_fields)


class User(AbstractBaseUser, PermissionsMixin):
    """Logs in with an e-mail address. The role decides what the person may see; see `is_business`."""

    email = models.EmailField(unique=True)
    full_name = models.CharField(max_length=150, blank=True)
    phone = models.CharField(max_length=32, blank=True)
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.CLIENT, db_index=True)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False, editable=False, help_text="Derived from the role.")
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        ordering = ["email"]

    def __str__(self) -> str:
        return self.full_name or self.email

    def clean(self) -> None:
        super().clean()
        if self.pk and not (self.role == Role.OWNER and self.is_active) and self._is_last_active_owner():
            raise ValidationError("The business needs an active owner: make someone else owner first.")

    def _is_last_active_owner(self) -> bool:
        owners = User.objects.filter(role=Role.OWNER, is_active=True)
        return owners.filter(pk=self.pk).exists() and not owners.exclude(pk=self.pk).exists()

    def save(self, *args, **kwargs):
        self.email = self.email.lower()
        # Owner and staff DJs use the Django admin; clients never do. The owner holds every permission.
        self.is_staff = self.role in (Role.OWNER, Role.STAFF)
        self.is_superuser = self.role == Role.OWNER
        super().save(*args, **kwargs)

    @property
    def is_business(self) -> bool:
        """Owner or staff: sees all of the business's data."""
        return self.is_active and self.role in (Role.OWNER, Role.STAFF)

    @property
    def is_client(self) -> bool:
        return self.role == Role.CLIENT

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(f"{value!r} is not a known time zone (for example Europe/London).")


def validate_logo(file) -> None:
    if file.size > settings.MAX_LOGO_BYTES:
        raise ValidationError(f"The logo is larger than {settings.MAX_LOGO_BYTES // (1024 * 1024)} MB.")


class BusinessProfile(models.Model):
    """The one DJ business this installation runs. `BusinessProfile.current()` returns it."""

    name = models.CharField(max_length=120, default="My DJ Business")
    logo = models.ImageField(upload_to="business/", blank=True, validators=[validate_logo])
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=32, blank=True)
    website = models.URLField(blank=True)
    address = models.TextField(blank=True)
    currency = models.CharField(max_length=3, default="USD", help_text="ISO 4217 code, e.g. USD, EUR, GBP.")
    time_zone = models.CharField(max_length=64, default="America/New_York", validators=[validate_time_zone])
    tax_name = models.CharField(max_length=40, default="Sales tax", blank=True)
    tax_rate = models.DecimalField(
        max_digits=6,
        decimal_places=3,
        default=0,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text="Percent, e.g. 8.875.",
    )
    tax_number = models.CharField(max_length=64, blank=True)
    prices_include_tax = models.BooleanField(default=False)
    client_edit_cutoff_days = models.PositiveSmallIntegerField(
        default=7, help_text="Clients may edit the timeline and music plan until this many days before an event."
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "business profile"
        constraints = [
            models.CheckConstraint(condition=models.Q(id=1), name="business_profile_singleton"),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        self.currency = self.currency.upper()
        if len(self.currency) != 3 or not self.currency.isalpha():
            raise ValidationError({"currency": "Use a three-letter ISO currency code such as USD."})

    def save(self, *args, **kwargs):
        self.pk = 1
        super().save(*args, **kwargs)

    @classmethod
    def current(cls) -> "BusinessProfile":
        """The saved profile, or an unsaved one with the defaults (reading it never writes)."""
        return cls.objects.filter(pk=1).first() or cls(pk=1)
