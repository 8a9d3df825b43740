@SCOPES
Feature: The app carries the three OAuth scopes the appliance needs
  The app needs full access, the right to act at any time (refresh_token, which Salesforce also
  calls offline_access) and access to unique user identifiers (openid). The appliance checks the
  scopes Salesforce actually granted and refuses an app that lacks one, naming it.

  Background:
    Given a Salesforce org with a system administrator

  Scenario Outline: An app without a required scope is refused, and the scope is named
    Given the appliance wizard is at the external client app step
    And an external client app set up as the guide asks, but with only the scopes "<scopes>"
    When the administrator opens "https://172.12.0.1/"
    And the administrator enters the app's consumer key and secret
    And the administrator authorizes as the org's user
    Then the appliance refuses the app, naming "<missing>"
    And the appliance holds no connection
    And Salesforce holds no live grant of the app

    Examples:
      | scopes               | missing                                                      |
      | refresh_token openid | Full access (full)                                           |
      | full openid          | Perform requests at any time                                 |
      | full refresh_token   | Access unique user identifiers (openid)                      |

  Scenario Outline: With the three scopes the connection is made
    Given the appliance wizard is at the external client app step
    And an external client app set up as the guide asks, but with only the scopes "<scopes>"
    When the administrator opens "https://172.12.0.1/"
    And the administrator enters the app's consumer key and secret
    And the administrator authorizes as the org's user
    Then the org is connected
    And the granted scopes include "<granted>"

    Examples:
      | scopes                     | granted                    |
      | full refresh_token openid  | full refresh_token openid  |
      | full offline_access openid | full offline_access openid |

  Scenario: An app whose refresh tokens expire at once cannot act at any time, and is refused
    Given the appliance wizard is at the external client app step
    And an external client app set up as the guide asks, but with the Refresh Token Policy "Immediately expire refresh token"
    When the administrator opens "https://172.12.0.1/"
    And the administrator enters the app's consumer key and secret
    And the administrator authorizes as the org's user
    Then the appliance refuses the app because Salesforce would not refresh its access token
    And the appliance holds no connection
    And Salesforce holds no live grant of the app

  Scenario: Backups stop once the app loses the scope to act at any time
    Given the appliance protects the org through an app set up as the guide asks
    And the administrator is logged in to the appliance
    When the Salesforce administrator changes the app's scopes to "full openid"
    And the administrator runs the default backup policy now
    Then the backup fails, saying the org needs re-authorization
    And Salesforce holds no live grant of the app

  Scenario Outline: Salesforce gives a client only scopes the app has, and tokens only for their scopes
    Given an external client app set up as the guide asks, but with only the scopes "<app scopes>"
    When another OAuth client asks for the scopes "<asked>" as the org's user
    Then Salesforce exchanges the client's code for exactly the scopes "<asked>", with <tokens>

    Examples:
      | app scopes                | asked                     | tokens                           |
      | full refresh_token openid | full refresh_token openid | a refresh token and an ID token  |
      | full refresh_token openid | full openid               | no refresh token and an ID token |
      | full refresh_token openid | full refresh_token        | a refresh token and no ID token  |
      | full openid               | full openid               | no refresh token and an ID token |

  Scenario Outline: Salesforce refuses a client a scope the app does not have
    Given an external client app set up as the guide asks, but with only the scopes "full refresh_token openid"
    When another OAuth client asks for the scopes "<asked>" as the org's user
    Then Salesforce sends the client back with the error "invalid_scope" and no code

    Examples:
      | asked           |
      | full api        |
      | full no_such    |

  Scenario: A refresh token gets the client new access tokens later, for the same scopes
    Given an external client app set up as the guide asks, but with only the scopes "full refresh_token openid"
    When another OAuth client gets a refresh token for the app as the org's user
    Then Salesforce answers a refresh with a new access token for the scopes "full refresh_token openid" and no new refresh token
