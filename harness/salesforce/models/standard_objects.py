"""The standard objects the fake serves and their standard fields, as Salesforce's object reference lists them.

Serves docs/salesforce-facts.md 3.10: every field name and type here is one of Salesforce's own for
that object (the published REST OpenAPI document, API 59.0, checked by the contract suite); the
fields are the standard ones a backup reads: the audit fields (``OwnerId``, ``CreatedById``,
``LastModifiedById`` and their dates), names, addresses, descriptions, and the lookups a backup
follows (``Owner``, ``CreatedBy``, ``LastModifiedBy``, ``Account``, ``Parent``, ``ReportsTo``,
``Manager``, ``Profile``). Fields that point at objects the fake does not serve are left out.
``make`` builds a generated value; read-only fields (``readonly``) are refused on create and update.
Our choice: generated records leave many optional fields empty (null), as real data does.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from faker import Faker

Maker = Callable[[Faker, dict[str, Any]], Any]


@dataclass(frozen=True)
class FieldSpec:
    name: str
    type: str
    label: str
    make: Maker | None = None
    readonly: bool = False


@dataclass(frozen=True)
class ObjectSpec:
    name: str
    label: str
    plural: str
    prefix: str
    fields: tuple[FieldSpec, ...]
    deletable: bool = True  # data objects; the org's own User/Profile/Organization rows are not

    def field(self, name: str) -> FieldSpec | None:
        return next((f for f in self.fields if f.name.lower() == name.lower()), None)


def _pick(*values: str) -> Maker:
    # random.choice, not Faker's random_element: the same seeded stream at a fraction of the cost.
    return lambda f, _: f.random.choice(values)


def _pooled(provider: str, size: int = 64) -> Maker:
    """A value from a pool of at most ``size`` per generation: costly providers (addresses, URLs,
    job titles) stay cheap for orgs of thousands of records, and still deterministic. The pool fills
    as records ask (one new value per record until it is full), so an org of five records pays for
    five values, not ``size``."""
    def make(fake: Faker, made: dict[str, Any]) -> Any:
        pool = made.setdefault(f"pool:{provider}", [])
        if len(pool) < size:
            pool.append(getattr(fake, provider)())
            return pool[-1]
        return fake.random.choice(pool)
    return make


def _date(fake: Faker, _: dict[str, Any]) -> str:
    return fake.date_between("-1y", "+1y").isoformat()


def _birthdate(fake: Faker, _: dict[str, Any]) -> str:
    return f"{fake.random.randint(1950, 2000)}-{fake.random.randint(1, 12):02d}-{fake.random.randint(1, 28):02d}"


def _maybe(maker: Maker) -> Maker:
    """Half of the records leave the field empty."""
    return lambda f, made: maker(f, made) if f.random.random() < 0.5 else None


def _address(prefix: str, label: str, generated: bool = True) -> tuple[FieldSpec, ...]:
    parts: tuple[tuple[str, str, str, Maker], ...] = (
        ("Street", "textarea", "Street", _pooled("street_address")),
        ("City", "string", "City", _pooled("city")),
        ("State", "string", "State/Province", _pooled("state_abbr")),
        ("PostalCode", "string", "Zip/Postal Code", _pooled("postcode")),
        ("Country", "string", "Country", lambda f, _: "United States"))
    return tuple(FieldSpec(f"{prefix}{part}", kind, f"{label} {text}", make if generated else None)
                 for part, kind, text, make in parts)


SYSTEM = (FieldSpec("Id", "id", "Record ID", readonly=True),
          FieldSpec("IsDeleted", "boolean", "Deleted", readonly=True))
AUDIT = (FieldSpec("CreatedDate", "datetime", "Created Date", readonly=True),
         FieldSpec("CreatedById", "reference", "Created By ID", readonly=True),
         FieldSpec("LastModifiedDate", "datetime", "Last Modified Date", readonly=True),
         FieldSpec("LastModifiedById", "reference", "Last Modified By ID", readonly=True),
         FieldSpec("SystemModstamp", "datetime", "System Modstamp", readonly=True))
_OWNED = (FieldSpec("OwnerId", "reference", "Owner ID"), *AUDIT,
          FieldSpec("LastActivityDate", "date", "Last Activity", readonly=True),
          FieldSpec("LastViewedDate", "datetime", "Last Viewed Date", readonly=True),
          FieldSpec("LastReferencedDate", "datetime", "Last Referenced Date", readonly=True))
_SOURCES = ("Web", "Phone Inquiry", "Partner Referral", "Purchased List", "Other")

ACCOUNT = ObjectSpec("Account", "Account", "Accounts", "001", (
    *SYSTEM, FieldSpec("MasterRecordId", "reference", "Master Record ID", readonly=True),
    FieldSpec("Name", "string", "Account Name", lambda f, _: f.company()),
    FieldSpec("Type", "picklist", "Account Type", _pick("Prospect", "Customer - Direct", "Partner", "Other")),
    FieldSpec("ParentId", "reference", "Parent Account ID"), *_address("Billing", "Billing"),
    *_address("Shipping", "Shipping", generated=False),  # our choice: shipping address left empty
    FieldSpec("Phone", "phone", "Account Phone", lambda f, _: f.phone_number()),
    FieldSpec("Fax", "phone", "Account Fax"),
    FieldSpec("AccountNumber", "string", "Account Number", _maybe(lambda f, _: f"CD{f.random.randint(0, 999999):06d}")),
    FieldSpec("Website", "url", "Website", _pooled("url")),
    FieldSpec("Sic", "string", "SIC Code"),
    FieldSpec("Industry", "picklist", "Industry", _pick("Banking", "Education", "Energy", "Retail", "Technology")),
    FieldSpec("AnnualRevenue", "currency", "Annual Revenue",
              _maybe(lambda f, _: float(f.random.randint(1, 900) * 100000))),
    FieldSpec("NumberOfEmployees", "int", "Employees", lambda f, _: f.random.randint(1, 50000)),
    FieldSpec("Ownership", "picklist", "Ownership", _pick("Public", "Private", "Subsidiary", "Other")),
    FieldSpec("TickerSymbol", "string", "Ticker Symbol"),
    FieldSpec("Description", "textarea", "Account Description", _maybe(_pooled("catch_phrase"))),
    FieldSpec("Rating", "picklist", "Account Rating", _maybe(_pick("Hot", "Warm", "Cold"))),
    FieldSpec("Site", "string", "Account Site"),
    FieldSpec("AccountSource", "picklist", "Account Source", _pick(*_SOURCES)),
    *_OWNED))

CONTACT = ObjectSpec("Contact", "Contact", "Contacts", "003", (
    *SYSTEM, FieldSpec("MasterRecordId", "reference", "Master Record ID", readonly=True),
    FieldSpec("AccountId", "reference", "Account ID", lambda f, r: f.random.choice(r["Account"]) if r["Account"]
              else None),
    FieldSpec("LastName", "string", "Last Name", lambda f, _: f.last_name()),
    FieldSpec("FirstName", "string", "First Name", lambda f, _: f.first_name()),
    FieldSpec("Salutation", "picklist", "Salutation", _maybe(_pick("Mr.", "Ms.", "Mrs.", "Dr.", "Prof."))),
    FieldSpec("Name", "string", "Full Name", readonly=True), *_address("Mailing", "Mailing"),
    FieldSpec("Phone", "phone", "Business Phone", _pooled("phone_number")),
    FieldSpec("Fax", "phone", "Business Fax"), FieldSpec("MobilePhone", "phone", "Mobile Phone"),
    FieldSpec("HomePhone", "phone", "Home Phone"), FieldSpec("OtherPhone", "phone", "Other Phone"),
    FieldSpec("ReportsToId", "reference", "Reports To ID"),
    FieldSpec("Email", "email", "Email", lambda f, _: f.email()),
    FieldSpec("Title", "string", "Title", _pooled("job")),
    FieldSpec("Department", "string", "Department"),
    FieldSpec("LeadSource", "picklist", "Lead Source", _pick(*_SOURCES)),
    FieldSpec("Birthdate", "date", "Birthdate", _maybe(_birthdate)),
    FieldSpec("Description", "textarea", "Contact Description"),
    FieldSpec("IsEmailBounced", "boolean", "Is Email Bounced", lambda f, _: False),
    *_OWNED))

OPPORTUNITY = ObjectSpec("Opportunity", "Opportunity", "Opportunities", "006", (
    *SYSTEM,
    FieldSpec("AccountId", "reference", "Account ID", lambda f, r: f.random.choice(r["Account"]) if r["Account"]
              else None),
    FieldSpec("IsPrivate", "boolean", "Private", lambda f, _: False),
    FieldSpec("Name", "string", "Name", lambda f, _: f.catch_phrase()),
    FieldSpec("Description", "textarea", "Description", _maybe(_pooled("bs"))),
    FieldSpec("StageName", "picklist", "Stage", _pick("Prospecting", "Qualification", "Closed Won", "Closed Lost")),
    FieldSpec("Amount", "currency", "Amount", lambda f, _: float(f.random_int(1000, 900000))),
    FieldSpec("Probability", "percent", "Probability (%)", readonly=True),
    FieldSpec("CloseDate", "date", "Close Date", _date),
    FieldSpec("Type", "picklist", "Opportunity Type", _pick("New Customer", "Existing Customer - Upgrade")),
    FieldSpec("NextStep", "string", "Next Step"),
    FieldSpec("LeadSource", "picklist", "Lead Source", _pick(*_SOURCES)),
    FieldSpec("IsClosed", "boolean", "Closed", readonly=True), FieldSpec("IsWon", "boolean", "Won", readonly=True),
    FieldSpec("ForecastCategoryName", "picklist", "Forecast Category", readonly=True),
    FieldSpec("FiscalQuarter", "int", "Fiscal Quarter", readonly=True),
    FieldSpec("FiscalYear", "int", "Fiscal Year", readonly=True),
    FieldSpec("Fiscal", "string", "Fiscal Period", readonly=True),
    *_OWNED))

USER = ObjectSpec("User", "User", "Users", "005", (
    FieldSpec("Id", "id", "User ID", readonly=True), FieldSpec("Username", "string", "Username"),
    FieldSpec("LastName", "string", "Last Name"), FieldSpec("FirstName", "string", "First Name"),
    FieldSpec("Name", "string", "Full Name", readonly=True), FieldSpec("CompanyName", "string", "Company Name"),
    FieldSpec("Department", "string", "Department"), FieldSpec("Title", "string", "Title"),
    FieldSpec("Email", "email", "Email"), FieldSpec("Phone", "phone", "Phone"),
    FieldSpec("MobilePhone", "phone", "Mobile"), FieldSpec("Alias", "string", "Alias"),
    FieldSpec("CommunityNickname", "string", "Nickname"), FieldSpec("IsActive", "boolean", "Active"),
    FieldSpec("TimeZoneSidKey", "picklist", "Time Zone"), FieldSpec("LocaleSidKey", "picklist", "Locale"),
    FieldSpec("EmailEncodingKey", "picklist", "Email Encoding"), FieldSpec("ProfileId", "reference", "Profile ID"),
    FieldSpec("UserType", "picklist", "User Type", readonly=True),
    FieldSpec("LanguageLocaleKey", "picklist", "Language"),
    FieldSpec("ManagerId", "reference", "Manager ID"),
    FieldSpec("LastLoginDate", "datetime", "Last Login", readonly=True),
    *AUDIT), deletable=False)

PROFILE = ObjectSpec("Profile", "Profile", "Profiles", "00e", (
    FieldSpec("Id", "id", "Profile ID", readonly=True), FieldSpec("Name", "string", "Name"),
    FieldSpec("PermissionsApiEnabled", "boolean", "API Enabled"),
    FieldSpec("PermissionsModifyAllData", "boolean", "Modify All Data"),
    FieldSpec("PermissionsViewAllData", "boolean", "View All Data"),
    FieldSpec("UserType", "picklist", "User Type", readonly=True), FieldSpec("Description", "string", "Description"),
    *AUDIT), deletable=False)

ORGANIZATION = ObjectSpec("Organization", "Organization", "Organizations", "00D", (
    FieldSpec("Id", "id", "Organization ID", readonly=True), FieldSpec("Name", "string", "Name"),
    FieldSpec("Division", "string", "Division"), FieldSpec("Street", "textarea", "Street"),
    FieldSpec("City", "string", "City"), FieldSpec("State", "string", "State/Province"),
    FieldSpec("PostalCode", "string", "Zip/Postal Code"), FieldSpec("Country", "string", "Country"),
    FieldSpec("Phone", "phone", "Phone"), FieldSpec("Fax", "phone", "Fax"),
    FieldSpec("PrimaryContact", "string", "Primary Contact"),
    FieldSpec("DefaultLocaleSidKey", "picklist", "Locale"), FieldSpec("TimeZoneSidKey", "picklist", "Time Zone"),
    FieldSpec("LanguageLocaleKey", "picklist", "Language"),
    FieldSpec("FiscalYearStartMonth", "int", "Fiscal Year Starts In"),
    FieldSpec("OrganizationType", "picklist", "Edition", readonly=True),
    FieldSpec("NamespacePrefix", "string", "Namespace Prefix", readonly=True),
    FieldSpec("InstanceName", "string", "Instance Name", readonly=True),
    FieldSpec("IsSandbox", "boolean", "Is Sandbox", readonly=True),
    FieldSpec("TrialExpirationDate", "datetime", "Trial Expiration Date", readonly=True),
    FieldSpec("IsReadOnly", "boolean", "Is Read Only", readonly=True),
    *AUDIT), deletable=False)

OBJECTS: dict[str, ObjectSpec] = {spec.name: spec for spec in (ACCOUNT, CONTACT, OPPORTUNITY, USER, PROFILE,
                                                                ORGANIZATION)}

# Lookup fields and the object they point at; the relationship name drops the ``Id``
# (``Owner.Name`` reads through ``OwnerId``).
REFERENCES = {"AccountId": "Account", "ParentId": "Account", "MasterRecordId": "Account",
              "ReportsToId": "Contact", "ProfileId": "Profile", "OwnerId": "User", "CreatedById": "User",
              "LastModifiedById": "User", "ManagerId": "User"}

_STAGES = {"Prospecting": (10, False, False, "Pipeline"), "Qualification": (10, False, False, "Pipeline"),
           "Closed Won": (100, True, True, "Closed"), "Closed Lost": (0, True, False, "Omitted")}


def derive(spec: ObjectSpec, row: dict[str, Any]) -> None:
    """Recomputes the fields Salesforce derives from others: a contact's ``Name``; an opportunity's
    probability, closed/won flags, forecast category and fiscal period (calendar fiscal year)."""
    if spec.name == "Contact":
        row["Name"] = " ".join(part for part in (row.get("FirstName"), row.get("LastName")) if part) or None
    if spec.name == "Opportunity":
        probability, closed, won, forecast = _STAGES.get(row.get("StageName") or "", (10, False, False, "Pipeline"))
        row.update(Probability=float(probability), IsClosed=closed, IsWon=won, ForecastCategoryName=forecast)
        close = str(row.get("CloseDate") or "")
        if len(close) >= 7 and close[:4].isdigit() and close[5:7].isdigit():
            year, quarter = int(close[:4]), (int(close[5:7]) - 1) // 3 + 1
            row.update(FiscalYear=year, FiscalQuarter=quarter, Fiscal=f"{year} {quarter}")
