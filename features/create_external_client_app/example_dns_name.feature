@EXAMPLE-DNS
Feature: The guide's example: an IP address first, a DNS name later
  The appliance is installed on a machine at 172.12.0.1 and the app is made with the URL the wizard
  showed there. Later the machine gets the DNS name acme.internal.com. Reaching the console by the
  new name only works once that name's https URL is added to the app too; from then on the app
  lists both URLs and both addresses work.

  Background:
    Given a Salesforce org with a system administrator
    And the appliance wizard is at the external client app step

  Scenario: Installed at 172.12.0.1, the app takes the URL the wizard shows there
    When the administrator opens "https://172.12.0.1/"
    And the administrator copies the callback URL the wizard shows
    And the administrator creates an external client app as the guide asks with the copied callback URL
    And the administrator enters the app's consumer key and secret
    And the administrator authorizes as the org's user
    Then the org is connected
    And the app's callback URLs are exactly:
      | https://172.12.0.1 |

  Scenario: Reached as acme.internal.com before the app knows the name
    Given an external client app set up as the guide asks, with the callback URLs "https://172.12.0.1"
    When the administrator opens "https://acme.internal.com/"
    Then the address bar shows "https://acme.internal.com/"
    And the wizard shows the callback URL "https://acme.internal.com"
    When the administrator enters the app's consumer key and secret
    And the administrator authorizes as the org's user
    Then Salesforce shows the error "redirect_uri_mismatch" and does not send the administrator back
    And the appliance holds no connection

  Scenario: Both URLs in the app, both addresses work
    Given an external client app set up as the guide asks, with the callback URLs "https://172.12.0.1"
    When the Salesforce administrator adds "https://acme.internal.com" to the app's callback URLs
    Then the app's callback URLs are exactly:
      | https://acme.internal.com |
      | https://172.12.0.1        |
    When the administrator opens "https://acme.internal.com/"
    And the administrator enters the app's consumer key and secret
    And the administrator authorizes as the org's user
    Then the org is connected
    And Salesforce sent the administrator back to "https://acme.internal.com"
    When the administrator opens "https://172.12.0.1/"
    And the administrator authorizes as the org's user
    Then the org is connected
    And Salesforce sent the administrator back to "https://172.12.0.1"
