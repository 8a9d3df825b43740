@PURPOSE
Feature: Written from the catalogue: looking back at step 5 before finishing
  Scenario: Reading the callback URL after connecting, then finishing
    Given a Salesforce org with a system administrator
    And the appliance wizard is at the external client app step
    And an external client app set up as the guide asks, with the callback URLs "https://172.12.0.1"
    When the administrator opens "https://172.12.0.1/"
    And the administrator enters the app's consumer key and secret
    And the administrator authorizes as the org's user
    Then the org is connected
    And the wizard shows the callback URL "https://172.12.0.1"
    When the administrator finishes the wizard with the "Daily" schedule
    And the administrator logs in to the appliance
    Then the default backup policy protects exactly that org with the "Daily" schedule
