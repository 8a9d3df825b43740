"""readMetadata: the app's settings as the Metadata API shows them."""

from __future__ import annotations

from xml.etree import ElementTree

from .support import World

NS = "{http://soap.sforce.com/2006/04/metadata}"


def _read(
    world: World, token: str, kind: str, *names: str, host: str = "acme.my.salesforce.com", version: str = "60.0"
) -> tuple[int, ElementTree.Element]:
    full_names = "".join(f"<met:fullNames>{n}</met:fullNames>" for n in names)
    envelope = f"""<?xml version="1.0" encoding="UTF-8"?>
<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"
                  xmlns:met="http://soap.sforce.com/2006/04/metadata">
  <soapenv:Header><met:SessionHeader><met:sessionId>{token}</met:sessionId></met:SessionHeader></soapenv:Header>
  <soapenv:Body><met:readMetadata><met:type>{kind}</met:type>{full_names}</met:readMetadata></soapenv:Body>
</soapenv:Envelope>"""
    response = world.client.post(
        f"https://{host}/services/Soap/m/{version}",
        content=envelope,
        headers={"Content-Type": "text/xml; charset=UTF-8", "SOAPAction": "readMetadata"},
    )
    return response.status_code, ElementTree.fromstring(response.content)


def _fields(root: ElementTree.Element) -> dict[str, str]:
    record = next(root.iter(f"{NS}records"))
    return {child.tag.removeprefix(NS): child.text or "" for child in record}


def test_global_oauth_settings(world: World) -> None:
    token = world.tokens()["access_token"]
    status, root = _read(world, token, "ExtlClntAppGlobalOauthSettings", world.app["api_name"])
    fields = _fields(root)
    assert status == 200
    assert fields["callbackUrl"] == "https://172.12.0.1\nhttps://acme.internal.com"
    assert fields["consumerKey"] == world.app["consumer_key"] and "consumerSecret" not in fields
    assert (
        fields["isConsumerSecretOptional"],
        fields["isSecretRequiredForRefreshToken"],
        fields["isPkceRequired"],
        fields["isRefreshTokenRotationEnabled"],
    ) == ("false", "true", "false", "false")
    world.backend.update_app(world.app["id"], require_secret_web_server=False, require_pkce=True)
    fields = _fields(
        _read(world, token, "ExtlClntAppGlobalOauthSettings", world.app["api_name"] + "_glbloauth")[1]
    )
    assert fields["isConsumerSecretOptional"] == "true" and fields["isPkceRequired"] == "true"


def test_oauth_settings_and_policies(world: World) -> None:
    token = world.tokens()["access_token"]
    fields = _fields(_read(world, token, "ExtlClntAppOauthSettings", world.app["api_name"])[1])
    assert fields["commaSeparatedOauthScopes"] == "Full, RefreshToken, OpenID"
    fields = _fields(_read(world, token, "ExtlClntAppOauthConfigurablePolicies", world.app["api_name"])[1])
    assert fields["permittedUsersPolicyType"] == "AllSelfAuthorized"
    assert fields["ipRelaxationPolicyType"] == "Enforce" and fields["refreshTokenPolicyType"] == "Infinite"


def test_unknown_name_is_nil_and_faults(world: World) -> None:
    token = world.tokens()["access_token"]
    _, root = _read(world, token, "ExtlClntAppOauthSettings", "Nope")
    record = next(root.iter(f"{NS}records"))
    assert record.get("{http://www.w3.org/2001/XMLSchema-instance}nil") == "true"
    status, root = _read(world, "bad", "ExtlClntAppOauthSettings", "x")
    assert status == 500 and root.findtext(".//faultcode") == "sf:INVALID_SESSION_ID"
    assert root.findtext(".//{urn:fault.soap.sforce.com}exceptionCode") == "INVALID_SESSION_ID"
    status, root = _read(world, token, "NotAMetadataType", "x")
    assert status == 500 and root.findtext(".//faultcode") == "sf:INVALID_TYPE"
    status, root = _read(world, token, "ApexClass", "MyClass")  # a known type the org has none of
    assert status == 200 and next(root.iter(f"{NS}records")).get(
        "{http://www.w3.org/2001/XMLSchema-instance}nil") == "true"
    limited = world.tokens(scope="openid", prompt="consent")["access_token"]
    assert (
        _read(world, limited, "ExtlClntAppOauthSettings", "x")[1].findtext(".//faultcode")
        == "sf:INSUFFICIENT_ACCESS"
    )


def test_connected_app(world: World) -> None:
    legacy = world.backend.create_app(
        world.org["id"],
        kind="connected_app",
        name="Legacy App",
        callback_urls=["https://172.12.0.1"],
        scopes=["full", "refresh_token"],
    )
    token = world.tokens()["access_token"]
    _, root = _read(world, token, "ConnectedApp", legacy["api_name"])
    config = next(root.iter(f"{NS}oauthConfig"))
    assert config.findtext(f"{NS}consumerKey") == legacy["consumer_key"]
    assert [s.text for s in config.iter(f"{NS}scopes")] == ["Full", "RefreshToken"]


def test_list_metadata_then_read_finds_the_app_by_consumer_key(world: World) -> None:
    world.backend.create_app(world.org["id"], name="Other App", callback_urls=["https://x.example.com"],
                             scopes=["api"])
    token = world.tokens()["access_token"]
    envelope = f"""<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"
    xmlns:met="http://soap.sforce.com/2006/04/metadata"><soapenv:Header><met:SessionHeader>
    <met:sessionId>{token}</met:sessionId></met:SessionHeader></soapenv:Header><soapenv:Body>
    <met:listMetadata><met:queries><met:type>ExtlClntAppGlobalOauthSettings</met:type></met:queries>
    <met:asOfVersion>62.0</met:asOfVersion></met:listMetadata></soapenv:Body></soapenv:Envelope>"""
    response = world.client.post("https://acme.my.salesforce.com/services/Soap/m/62.0", content=envelope)
    root = ElementTree.fromstring(response.content)
    names = [e.text for e in root.iter(f"{NS}fullName")]
    assert names == ["Backup_Appliance_glbloauth", "Other_App_glbloauth"]
    assert next(root.iter(f"{NS}fileName")).text == (
        "extlClntAppGlobalOauthSets/Backup_Appliance_glbloauth.ecaGlblOauth")
    _, records = _read(world, token, "ExtlClntAppGlobalOauthSettings", *names)
    keys = [r.findtext(f"{NS}consumerKey") for r in records.iter(f"{NS}records")]
    assert keys.index(world.app["consumer_key"]) == 0


def _list(world: World, token: str, kind: str, version: str = "62.0") -> ElementTree.Element:
    envelope = f"""<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"
    xmlns:met="http://soap.sforce.com/2006/04/metadata"><soapenv:Header><met:SessionHeader>
    <met:sessionId>{token}</met:sessionId></met:SessionHeader></soapenv:Header><soapenv:Body>
    <met:listMetadata><met:queries><met:type>{kind}</met:type></met:queries>
    <met:asOfVersion>{version}</met:asOfVersion></met:listMetadata></soapenv:Body></soapenv:Envelope>"""
    response = world.client.post(f"https://acme.my.salesforce.com/services/Soap/m/{version}/", content=envelope)
    return ElementTree.fromstring(response.content)


def test_external_client_application_is_listed_with_every_file_property(world: World) -> None:
    token = world.tokens()["access_token"]
    world.backend.advance_clock(60)
    world.backend.update_app(world.app["id"], require_pkce=True)
    result = next(_list(world, token, "ExternalClientApplication").iter(f"{NS}result"))
    listed = {child.tag.removeprefix(NS): child.text or "" for child in result}
    assert list(listed) == ["createdById", "createdByName", "createdDate", "fileName", "fullName", "id",
                            "lastModifiedById", "lastModifiedByName", "lastModifiedDate", "manageableState",
                            "namespacePrefix", "type"]
    assert listed["fileName"] == "externalClientApps/Backup_Appliance.eca"
    assert (listed["createdById"], listed["createdByName"]) == (world.user["id"], "Ada Admin")
    assert listed["lastModifiedDate"] > listed["createdDate"] and listed["lastModifiedDate"].endswith(".000Z")
    assert (listed["id"], listed["manageableState"], listed["type"]) == (
        world.app["id"], "unmanaged", "ExternalClientApplication")
    fields = _fields(_read(world, token, "ExternalClientApplication", "Backup_Appliance")[1])
    assert fields == {"fullName": "Backup_Appliance", "contactEmail": world.app["contact_email"],
                      "distributionState": "Local", "isProtected": "false", "label": "Backup Appliance"}


def test_types_answer_invalid_type_on_versions_that_predate_them(world: World) -> None:
    token = world.tokens()["access_token"]
    for kind in ("ExternalClientApplication", "ExtlClntAppGlobalOauthSettings", "ExtlClntAppOauthSettings",
                 "ExtlClntAppOauthConfigurablePolicies", "ExtlClntAppConfigurablePolicies"):
        status, root = _read(world, token, kind, "Backup_Appliance", version="58.0")
        assert (status, root.findtext(".//faultcode")) == (500, "sf:INVALID_TYPE"), kind
        assert _read(world, token, kind, "Backup_Appliance", version="59.0")[0] == 200
        assert _list(world, token, kind, version="58.0").findtext(".//faultcode") == "sf:INVALID_TYPE"
    assert _read(world, token, "ConnectedApp", "x", version="31.0")[0] == 200


def test_other_soap_apis_answer_a_soap_fault(world: World) -> None:
    response = world.client.post("https://login.salesforce.com/services/Soap/u/62.0", content="<x/>")
    assert response.status_code == 500 and response.headers["content-type"].startswith("text/xml")
    assert ElementTree.fromstring(response.content).findtext(".//faultcode") == "sf:INVALID_OPERATION"


def _call(world: World, token: str, body: str, version: str = "60.0") -> ElementTree.Element:
    envelope = ('<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" '
                'xmlns:met="http://soap.sforce.com/2006/04/metadata"><soapenv:Header><met:SessionHeader>'
                f'<met:sessionId>{token}</met:sessionId></met:SessionHeader></soapenv:Header>'
                f'<soapenv:Body>{body}</soapenv:Body></soapenv:Envelope>')
    response = world.client.post(f"https://acme.my.salesforce.com/services/Soap/m/{version}", content=envelope,
                                 headers={"Content-Type": "text/xml", "SOAPAction": '""'})
    assert response.status_code == 200, response.text
    return ElementTree.fromstring(response.content)


def test_describe_metadata_lists_the_common_types_of_a_real_org(world: World) -> None:
    token = world.tokens()["access_token"]
    root = _call(world, token, "<met:describeMetadata><met:asOfVersion>60.0</met:asOfVersion></met:describeMetadata>")
    described = {o.findtext(f"{NS}xmlName"): o for o in root.iter(f"{NS}metadataObjects")}
    assert {"ApexClass", "ApexTrigger", "CustomObject", "Layout", "Profile", "PermissionSet", "Flow",
            "LightningComponentBundle", "ExternalClientApplication", "ConnectedApp"} <= set(described)
    assert len(described) >= 40
    apex = described["ApexClass"]
    assert [(c.tag.removeprefix(NS), c.text) for c in apex] == [
        ("directoryName", "classes"), ("inFolder", "false"), ("metaFile", "true"), ("suffix", "cls"),
        ("xmlName", "ApexClass")]
    assert "CustomField" in [c.text for c in described["CustomObject"].iter(f"{NS}childXmlNames")]
    assert described["Report"].findtext(f"{NS}inFolder") == "true"
    assert described["LightningComponentBundle"].find(f"{NS}suffix") is None
    old = _call(world, token, "<met:describeMetadata/>", version="44.0")
    assert "LightningComponentBundle" not in {o.findtext(f"{NS}xmlName") for o in old.iter(f"{NS}metadataObjects")}


def test_listing_a_common_type_the_org_has_none_of_answers_nothing(world: World) -> None:
    token = world.tokens()["access_token"]
    root = _call(world, token, "<met:listMetadata><met:queries><met:type>ApexClass</met:type></met:queries>"
                               "<met:asOfVersion>60.0</met:asOfVersion></met:listMetadata>")
    listed = next(root.iter(f"{NS}listMetadataResponse"))
    assert list(listed) == []
