@OAUTH-ON
Feature: OAuth is enabled and both secret switches are on
  The app must have OAuth enabled and must require its secret both when a code is exchanged and
  when a refresh token is used. An app that breaks one of these is not accepted.

  Background:
    Given a Salesforce org with a system administrator
    And the appliance wizard is at the external client app step

  Scenario: An app with OAuth switched off is unknown to the authorization
    Given an external client app set up as the guide asks, but with "Enable OAuth" off
    When the administrator opens "https://172.12.0.1/"
    And the administrator enters the app's consumer key and secret
    And the administrator authorizes as the org's user
    Then Salesforce shows the error "invalid_client_id" and does not send the administrator back
    And the appliance holds no connection

  Scenario Outline: A secret switch that is off is refused, and the switch is named
    Given an external client app set up as the guide asks, but with "<switch>" off
    When the administrator opens "https://172.12.0.1/"
    And the administrator enters the app's consumer key and secret
    And the administrator authorizes as the org's user
    Then the appliance refuses the app, naming "<switch>"
    And the appliance holds no connection
    And Salesforce holds no live grant of the app

    Examples:
      | switch                                |
      | Require Secret for Web Server Flow    |
      | Require Secret for Refresh Token Flow |

  Scenario: An app with OAuth and both secret switches on connects
    Given an external client app set up as the guide asks, with the callback URLs "https://172.12.0.1"
    When the administrator opens "https://172.12.0.1/"
    And the administrator enters the app's consumer key and secret
    And the administrator authorizes as the org's user
    Then the org is connected
    And Salesforce holds a grant of the app for the org's user

  Scenario: Salesforce's token endpoint refuses a code once OAuth is switched off for the app
    Given an external client app set up as the guide asks, with the callback URLs "https://172.12.0.1"
    When another OAuth client gets an authorization code for the app as the org's user
    And the Salesforce administrator turns "Enable OAuth Settings" off for the app
    Then Salesforce refuses the code exchange with the consumer secret, with "invalid_client_id"

  Scenario Outline: Salesforce's token endpoint follows the web server flow's secret switch for any client
    Given an external client app set up as the guide asks, but with "Require Secret for Web Server Flow" <state>
    When another OAuth client gets an authorization code for the app as the org's user
    Then Salesforce <answer> the code exchange without the consumer secret

    Examples:
      | state | answer  |
      | on    | refuses |
      | off   | accepts |

  Scenario Outline: Salesforce's token endpoint follows the refresh flow's secret switch for any client
    Given an external client app set up as the guide asks, but with "Require Secret for Refresh Token Flow" <state>
    When another OAuth client gets a refresh token for the app as the org's user
    Then Salesforce <answer> a refresh without the consumer secret

    Examples:
      | state | answer  |
      | on    | refuses |
      | off   | accepts |

  Scenario Outline: A secret switch turned off during the authorization is still refused by the appliance
    Given an external client app set up as the guide asks, with the callback URLs "https://172.12.0.1"
    When the administrator opens "https://172.12.0.1/"
    And the administrator enters the app's consumer key and secret
    And the administrator authorizes as the org's user while the Salesforce administrator turns "<switch>" off before Salesforce sends the administrator back
    Then the appliance refuses the app, naming "<switch>"
    And the appliance holds no connection
    And Salesforce holds no live grant of the app

    Examples:
      | switch                                |
      | Require Secret for Web Server Flow    |
      | Require Secret for Refresh Token Flow |

  Scenario: The appliance reads the switches of the app it was given, not of another app in the org
    Given an external client app set up as the guide asks, but with "Require Secret for Web Server Flow" off
    And a second external client app in the org, set up as the guide asks
    When the administrator opens "https://172.12.0.1/"
    And the administrator enters the second app's consumer key and secret
    And the administrator authorizes as the org's user
    Then the org is connected

  Scenario: A wrong consumer secret is reported with Salesforce's own code
    Given an external client app set up as the guide asks, with the callback URLs "https://172.12.0.1"
    When the administrator opens "https://172.12.0.1/"
    And the administrator enters the app's consumer key with a wrong secret
    And the administrator authorizes as the org's user
    Then the appliance reports the Salesforce error "invalid_client"
    And the appliance holds no connection

  Scenario Outline: Before 3.2, a shared connected app of another org is held to the refresh secret switch too
    Given a connected app in another Salesforce org, set up as the guide asks for the pre-3.2 appliance, but with "Require Secret for Refresh Token Flow" <state>
    And the pre-3.2 appliance wizard is at its app step
    When the administrator opens "https://legacy.acme.internal.com/"
    And the administrator enters the app's consumer key and secret
    And the administrator authorizes as the org's user
    Then <outcome>

    Examples:
      | state | outcome                                                                 |
      | off   | the appliance refuses the app, naming "Require Secret for Refresh Token Flow" |
      | on    | the org is connected                                                    |

  @SCOPES @PKCE-OFF
  Scenario: The wizard lists the scopes and switches the app needs
    When the administrator opens "https://172.12.0.1/"
    Then the wizard's checklist asks for:
      | OAuth scope selected: Full access (full)                      |
      | OAuth scope selected: Perform requests at any time (refresh_token, offline_access) |
      | OAuth scope selected: Access unique user identifiers (openid) |
      | Turned on: Enable OAuth Settings                              |
      | Turned on: Require Secret for Web Server Flow                 |
      | Turned on: Require Secret for Refresh Token Flow              |
      | Turned off: Require Proof Key for Code Exchange (PKCE)        |
