@OAUTH-ON
Feature: Written from the catalogue: correcting the secret without starting over

  Scenario: A wrong secret is replaced at step 5 straight after Salesforce refused it
    Given a Salesforce org with a system administrator
    And the appliance wizard is at the external client app step
    And an external client app set up as the guide asks, with the callback URLs "https://172.12.0.1"
    When the administrator opens "https://172.12.0.1/"
    And the administrator enters the app's consumer key with a wrong secret
    And the administrator authorizes as the org's user
    Then the appliance reports the Salesforce error "invalid_client"
    And the appliance holds no connection
    When the administrator enters the app's consumer key and secret
    And the administrator authorizes as the org's user
    Then the org is connected
    When the administrator finishes the wizard with the "Weekly" schedule
    And the administrator logs in to the appliance
    Then the default backup policy protects exactly that org with the "Weekly" schedule
