@SCOPES
Feature: Written from the catalogue: reading the checklist after a refusal

  Scenario: The checklist is read after the refusal, the scope is added at Salesforce, the app is entered again
    Given a Salesforce org with a system administrator
    And the appliance wizard is at the external client app step
    And an external client app set up as the guide asks, but with only the scopes "full openid"
    When the administrator opens "https://172.12.0.1/"
    And the administrator enters the app's consumer key and secret
    And the administrator authorizes as the org's user
    Then the appliance refuses the app, naming "Perform requests at any time"
    And Salesforce holds no live grant of the app
    And the wizard's checklist asks for:
      | OAuth scope selected: Full access (full)                      |
      | OAuth scope selected: Perform requests at any time (refresh_token, offline_access) |
      | OAuth scope selected: Access unique user identifiers (openid) |
      | Turned on: Enable OAuth Settings                              |
      | Turned on: Require Secret for Web Server Flow                 |
      | Turned on: Require Secret for Refresh Token Flow              |
      | Turned off: Require Proof Key for Code Exchange (PKCE)        |
    When the Salesforce administrator changes the app's scopes to "full offline_access openid"
    And the administrator enters the app's consumer key and secret
    And the administrator authorizes as the org's user
    Then the org is connected
    And the granted scopes include "full offline_access openid"
