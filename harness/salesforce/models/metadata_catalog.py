"""The common Metadata API types a real org's ``describeMetadata`` lists, beside the app types.

Serves docs/salesforce-facts.md 2.4: a real org's describeMetadata answers a few hundred types;
deployment and backup tools read it to decide what to retrieve, so the fake lists the common ones
with the directory, suffix, folder and meta-file flags and child types Salesforce gives them
(Metadata API Developer Guide, "Metadata Types"). Plain data here; ``metadata_types`` turns each row
into a type. Our choice: the org holds no component of these types, so ``listMetadata`` answers
none and ``readMetadata`` answers nil records.
"""

from __future__ import annotations

from typing import NamedTuple


class CommonType(NamedTuple):
    name: str
    folder: str
    suffix: str = ""  # bundles (aura, lwc) and documents have none
    since: float = 20.0  # older than the oldest version the fake serves, unless newer
    in_folder: bool = False
    meta_file: bool = False
    children: tuple[str, ...] = ()


_OBJECT_CHILDREN = ("CustomField", "Index", "BusinessProcess", "CompactLayout", "RecordType", "WebLink",
                    "ValidationRule", "SharingReason", "ListView", "FieldSet")

COMMON: tuple[CommonType, ...] = (
    CommonType("ApexClass", "classes", "cls", meta_file=True),
    CommonType("ApexComponent", "components", "component", meta_file=True),
    CommonType("ApexPage", "pages", "page", meta_file=True),
    CommonType("ApexTrigger", "triggers", "trigger", meta_file=True),
    CommonType("AssignmentRules", "assignmentRules", "assignmentRules", children=("AssignmentRule",)),
    CommonType("AuraDefinitionBundle", "aura", since=32.0),
    CommonType("AuthProvider", "authproviders", "authprovider"),
    CommonType("CustomApplication", "applications", "app"),
    CommonType("CustomLabels", "labels", "labels", children=("CustomLabel",)),
    CommonType("CustomMetadata", "customMetadata", "md", since=31.0),
    CommonType("CustomObject", "objects", "object", children=_OBJECT_CHILDREN),
    CommonType("CustomObjectTranslation", "objectTranslations", "objectTranslation"),
    CommonType("CustomPermission", "customPermissions", "customPermission"),
    CommonType("CustomTab", "tabs", "tab"),
    CommonType("Dashboard", "dashboards", "dashboard", in_folder=True),
    CommonType("Document", "documents", in_folder=True, meta_file=True),
    CommonType("EmailTemplate", "email", "email", in_folder=True, meta_file=True),
    CommonType("FlexiPage", "flexipages", "flexipage"),
    CommonType("Flow", "flows", "flow"),
    CommonType("GlobalValueSet", "globalValueSets", "globalValueSet", since=38.0),
    CommonType("Group", "groups", "group"),
    CommonType("Layout", "layouts", "layout"),
    CommonType("LightningComponentBundle", "lwc", since=45.0),
    CommonType("NamedCredential", "namedCredentials", "namedCredential"),
    CommonType("PermissionSet", "permissionsets", "permissionset"),
    CommonType("PermissionSetGroup", "permissionsetgroups", "permissionsetgroup", since=45.0),
    CommonType("Profile", "profiles", "profile"),
    CommonType("QuickAction", "quickActions", "quickAction"),
    CommonType("Queue", "queues", "queue"),
    CommonType("RemoteSiteSetting", "remoteSiteSettings", "remoteSite"),
    CommonType("Report", "reports", "report", in_folder=True),
    CommonType("ReportType", "reportTypes", "reportType"),
    CommonType("Role", "roles", "role"),
    CommonType("Settings", "settings", "settings"),
    CommonType("SharingRules", "sharingRules", "sharingRules",
               children=("SharingOwnerRule", "SharingCriteriaRule")),
    CommonType("StandardValueSet", "standardValueSets", "standardValueSet", since=38.0),
    CommonType("StaticResource", "staticresources", "resource", meta_file=True),
    CommonType("Translations", "translations", "translation"),
    CommonType("Workflow", "workflows", "workflow",
               children=("WorkflowFieldUpdate", "WorkflowTask", "WorkflowAlert", "WorkflowRule")),
)
