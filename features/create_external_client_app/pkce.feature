@PKCE-OFF
Feature: Proof Key for Code Exchange stays off
  The appliance authenticates with its consumer secret and does not send a PKCE challenge, so an
  app that requires PKCE cannot be authorized.

  Background:
    Given a Salesforce org with a system administrator
    And the appliance wizard is at the external client app step

  Scenario: An app that requires PKCE is rejected by Salesforce before sign-in
    Given an external client app set up as the guide asks, but with "Require Proof Key for Code Exchange (PKCE)" on
    When the administrator opens "https://172.12.0.1/"
    And the administrator enters the app's consumer key and secret
    And the administrator authorizes as the org's user
    Then Salesforce shows the error "invalid_request" and does not send the administrator back
    And the Salesforce error says "missing required code challenge"
    And the appliance holds no connection

  Scenario: The appliance refuses an app that requires PKCE by itself, not only because Salesforce does
    Given an external client app set up as the guide asks, with the callback URLs "https://172.12.0.1"
    When the administrator opens "https://172.12.0.1/"
    And the administrator enters the app's consumer key and secret
    And the administrator authorizes as the org's user while the Salesforce administrator turns "Require Proof Key for Code Exchange (PKCE)" on before Salesforce sends the administrator back
    Then the appliance refuses the app, naming "Require Proof Key for Code Exchange (PKCE)"
    And the appliance holds no connection
    And Salesforce holds no live grant of the app

  Scenario: With PKCE off the same app connects
    Given an external client app set up as the guide asks, with the callback URLs "https://172.12.0.1"
    When the administrator opens "https://172.12.0.1/"
    And the administrator enters the app's consumer key and secret
    And the administrator authorizes as the org's user
    Then the org is connected
