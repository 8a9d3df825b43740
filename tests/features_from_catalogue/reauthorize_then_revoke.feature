@EDIT-REAUTH
Feature: Written from the catalogue: re-authorizing first, losing the grant later

  Scenario: The edited connection is re-authorized before any backup, and a later revocation is noticed
    Given a Salesforce org with a system administrator
    And the appliance protects the org through an app set up as the guide asks
    And a second external client app in the org, set up as the guide asks
    And the administrator is logged in to the appliance
    When the administrator changes the org's connection to the second app
    And the administrator re-authorizes the org as the org's user
    Then the org's status is "Connected"
    And a backup run now succeeds
    When the Salesforce administrator revokes the app's grants
    And the administrator runs the default backup policy now
    Then the backup fails, saying the org needs re-authorization
    And the org's status is "Re-authorization required"
