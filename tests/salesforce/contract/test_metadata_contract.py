"""The Metadata API on the wire: listing and reading an external client app's components."""

from __future__ import annotations

from .target import METADATA_NS, Target

REQUIRED_FILE_PROPERTIES = {"createdById", "createdByName", "createdDate", "fileName", "fullName", "id",
                            "lastModifiedById", "lastModifiedByName", "lastModifiedDate", "manageableState",
                            "type"}


def _list(target: Target, kind: str, version: str | None = None) -> tuple[int, list[dict[str, str]]]:
    status, root = target.metadata(f"<met:listMetadata><met:queries><met:type>{kind}</met:type></met:queries>"
                                   f"<met:asOfVersion>{version or target.api_version}</met:asOfVersion>"
                                   "</met:listMetadata>", version)
    results = [{child.tag.removeprefix(METADATA_NS): child.text or "" for child in result}
               for result in root.iter(f"{METADATA_NS}result")]
    return status, results


def test_list_external_client_applications_with_their_file_properties(target: Target) -> None:
    status, results = _list(target, "ExternalClientApplication")
    assert status == 200 and results
    for listed in results:
        assert set(listed) >= REQUIRED_FILE_PROPERTIES, listed
        assert listed["type"] == "ExternalClientApplication"
        assert listed["fileName"] == f"externalClientApps/{listed['fullName']}.eca"


def test_read_finds_the_app_by_consumer_key(target: Target) -> None:
    _, results = _list(target, "ExtlClntAppGlobalOauthSettings")
    for listed in results:
        assert listed["fullName"].endswith("_glbloauth"), listed
        assert listed["fileName"] == f"extlClntAppGlobalOauthSets/{listed['fullName']}.ecaGlblOauth"
    names = "".join(f"<met:fullNames>{r['fullName']}</met:fullNames>" for r in results[:10])
    status, root = target.metadata("<met:readMetadata><met:type>ExtlClntAppGlobalOauthSettings</met:type>"
                                   f"{names}</met:readMetadata>")
    records = [{child.tag.removeprefix(METADATA_NS): child.text or "" for child in record}
               for record in root.iter(f"{METADATA_NS}records")]
    mine = next(r for r in records if r.get("consumerKey") == target.consumer_key)
    for switch in ("isConsumerSecretOptional", "isSecretRequiredForRefreshToken", "isPkceRequired"):
        assert mine[switch] in ("true", "false"), switch


def test_external_client_app_types_do_not_exist_before_api_59(target: Target) -> None:
    status, root = target.metadata("<met:readMetadata><met:type>ExternalClientApplication</met:type>"
                                   "<met:fullNames>Any</met:fullNames></met:readMetadata>", "58.0")
    assert status == 500 and (root.findtext(".//faultcode") or "").endswith("INVALID_TYPE")
