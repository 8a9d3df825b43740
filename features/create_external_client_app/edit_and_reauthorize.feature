@EDIT-REAUTH
Feature: Changing the app later means authorizing the org again
  The app can be replaced or changed after the wizard. Once it is, the org's connection has to be
  authorized again; until then the appliance says so and backups of that org do not run.

  Background:
    Given a Salesforce org with a system administrator
    And the appliance protects the org through an app set up as the guide asks
    And the administrator is logged in to the appliance

  Scenario: New key and secret in the appliance wait for re-authorization
    Given a second external client app in the org, set up as the guide asks
    When the administrator changes the org's connection to the second app
    Then the org's status is "Re-authorization required"
    And the org's user holds no live grant of any app
    When the administrator runs the default backup policy now
    Then the backup fails, saying the app changed and the org needs re-authorization
    When the administrator re-authorizes the org as the org's user
    Then the org's status is "Connected"
    And a backup run now succeeds
    And the org's user holds a live grant of the app in use and of no other app

  Scenario: A rotated secret is noticed at the next backup and healed by editing the connection
    When the Salesforce administrator rotates the app's consumer secret
    And the administrator runs the default backup policy now
    Then the backup fails, saying the org needs re-authorization
    And the org's status is "Re-authorization required"
    And a backup run now fails again, naming "invalid_client"
    When the administrator changes the org's connection to the app's current key and secret
    And the administrator re-authorizes the org as the org's user
    Then the org's status is "Connected"
    And a backup run now succeeds

  Scenario: Revoked grants are noticed at the next backup and healed by re-authorizing
    When the Salesforce administrator revokes the app's grants
    And the administrator runs the default backup policy now
    Then the backup fails, saying the org needs re-authorization
    When the administrator re-authorizes the org as the org's user
    Then the org's status is "Connected"
    And a backup run now succeeds

  Scenario: A refresh scope removed from the app is noticed and healed once it is back
    When the Salesforce administrator changes the app's scopes to "full openid"
    And the administrator runs the default backup policy now
    Then the backup fails, saying the org needs re-authorization
    When the Salesforce administrator changes the app's scopes to "full refresh_token openid"
    And the administrator re-authorizes the org as the org's user
    Then the org's status is "Connected"
    And a backup run now succeeds

  Scenario: Editing one org's connection leaves the other orgs alone
    Given a second Salesforce org added to the appliance with its own app set up as the guide asks
    And a second external client app in the org, set up as the guide asks
    When the administrator changes the org's connection to the second app
    Then the org's status is "Re-authorization required"
    And the second org's status is "Connected"

  Scenario: Re-authorizing an org that is still connected replaces its grant at Salesforce
    When the administrator re-authorizes the org as the org's user
    Then the org's status is "Connected"
    And the org's user holds exactly one live grant of the app
    And a backup run now succeeds

  Scenario: Re-authorizing signed in to another org is refused and the org keeps waiting
    Given a second Salesforce org with a system administrator and its own app set up as the guide asks
    When the administrator changes the org's connection to the second org's app
    And the administrator re-authorizes the org as the second org's user
    Then the appliance refuses, saying the Salesforce user belongs to the second org and not to the org
    And the org's status is "Re-authorization required"
    And the appliance does not list the second org
    And the second org's user holds no live grant of its app

  Scenario: Adding an org the appliance already protects is refused and its connection stays as it was
    When the administrator adds the org again with the app's key and secret
    Then the appliance refuses, saying the org is already added
    And the org's status is "Connected"
    And a backup run now succeeds
    And the org's user holds exactly one live grant of the app

  Scenario Outline: Salesforce failing for a while fails the backup without asking for re-authorization
    When Salesforce <trouble>
    And the administrator runs the default backup policy now
    Then the backup fails without asking for re-authorization, saying "<why>"
    And the org's status is "Failed"
    When Salesforce works again
    Then a backup run now succeeds
    And the org's status is "Connected"

    Examples:
      | trouble                                                  | why                  |
      | cannot be reached                                        | could not be reached |
      | answers token requests with the error "server_error"     | server_error         |

  Scenario: Refresh token rotation turned on for the app keeps the connection without re-authorization
    When the Salesforce administrator turns "Enable Refresh Token Rotation" on for the app
    Then a backup run now succeeds
    And a backup run now succeeds
    And the org's status is "Connected"

  Scenario: A connection Salesforce refused waits for re-authorization even once the app is set back
    When the Salesforce administrator turns "Enable OAuth Settings" off for the app
    And the administrator runs the default backup policy now
    Then the backup fails, saying the org needs re-authorization
    When the Salesforce administrator turns "Enable OAuth Settings" on for the app
    Then a backup run now fails again, naming "invalid_client_id"
    When the administrator re-authorizes the org as the org's user
    Then the org's status is "Connected"
    And a backup run now succeeds
