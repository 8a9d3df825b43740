@CALLBACK
Feature: Written from the catalogue: trying again after Salesforce stopped the authorization

  Scenario: The wizard's URL is added at Salesforce after a mismatch and the app is entered again
    Given a Salesforce org with a system administrator
    And the appliance wizard is at the external client app step
    And an external client app set up as the guide asks, with the callback URLs "https://backup.example.net"
    When the administrator opens "https://172.12.0.1/"
    And the administrator enters the app's consumer key and secret
    And the administrator authorizes as the org's user
    Then Salesforce shows the error "redirect_uri_mismatch" and does not send the administrator back
    When the Salesforce administrator adds "https://172.12.0.1" to the app's callback URLs
    And the administrator opens "https://172.12.0.1/"
    And the administrator enters the app's consumer key and secret
    And the administrator authorizes as the org's user
    Then the org is connected
    And Salesforce sent the administrator back to "https://172.12.0.1"
    And the wizard shows the callback URL "https://172.12.0.1"
