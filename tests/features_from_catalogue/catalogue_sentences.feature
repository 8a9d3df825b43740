@CALLBACK
Feature: Written from the catalogue: the callback list changed, an app reused, a pre-3.2 backup

  Scenario: A callback list set anew and trimmed keeps exactly what is left
    Given a Salesforce org with a system administrator
    And an external client app set up as the guide asks, with the callback URLs "https://172.12.0.1"
    When the Salesforce administrator sets the app's callback URLs to "https://172.12.0.1 https://acme.internal.com HTTPS://172.12.0.1"
    And the Salesforce administrator removes "HTTPS://172.12.0.1" from the app's callback URLs
    Then the app's callback URLs are exactly:
      | https://172.12.0.1        |
      | https://acme.internal.com |

  Scenario: An org cannot borrow the app of an org already in the appliance
    Given a Salesforce org with a system administrator
    And the appliance protects the org through an app set up as the guide asks
    And the administrator is logged in to the appliance
    And a second Salesforce org with a system administrator
    When the administrator adds the second org with the app already in the appliance
    Then the appliance reports the Salesforce error "OAUTH_EC_APP_NOT_FOUND"
    And the second org is not added

  Scenario: A pre-3.2 appliance backs up through its one shared connected app
    Given two Salesforce orgs, each with a system administrator
    And a pre-3.2 appliance protecting both orgs through one connected app set up as the guide asks
    And the administrator is logged in to the pre-3.2 appliance
    When the administrator runs every backup policy now
    Then every backup succeeds and holds records of its org
