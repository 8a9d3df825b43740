@CALLBACK
Feature: The callback URL follows the address the administrator uses
  The wizard's external client app step offers a callback URL to copy into the app. Salesforce
  sends the administrator back only to an address that appears, character for character, in the
  app's list of callback URLs; so the list must hold the https address of the name or IP address
  that the administrator types to reach the appliance's web console.

  Background:
    Given a Salesforce org with a system administrator
    And the appliance wizard is at the external client app step

  Scenario Outline: The wizard offers the address it was reached at as the callback URL
    When the administrator opens "<address>"
    Then the address bar shows "<address>"
    And the wizard shows the callback URL "<callback>"

    Examples:
      | address                    | callback                  |
      | https://acme.internal.com/ | https://acme.internal.com |
      | https://172.12.0.1/        | https://172.12.0.1        |
      | https://172.12.0.1:8443/   | https://172.12.0.1:8443   |

  Scenario: An app whose callback list holds the address in use connects
    Given an external client app set up as the guide asks, with the callback URLs "https://172.12.0.1"
    When the administrator opens "https://172.12.0.1/"
    And the administrator enters the app's consumer key and secret
    And the administrator authorizes as the org's user
    Then the org is connected
    And Salesforce sent the administrator back to "https://172.12.0.1"

  Scenario: An app whose callback list lacks the address in use is stopped at Salesforce
    Given an external client app set up as the guide asks, with the callback URLs "https://backup.example.net"
    When the administrator opens "https://172.12.0.1/"
    And the administrator enters the app's consumer key and secret
    And the administrator authorizes as the org's user
    Then Salesforce shows the error "redirect_uri_mismatch" and does not send the administrator back
    And the appliance holds no connection

  Scenario Outline: Near misses of the callback URL are misses
    Given an external client app set up as the guide asks, with the callback URLs "<listed>"
    When the administrator opens "https://172.12.0.1/"
    And the administrator enters the app's consumer key and secret
    And the administrator authorizes as the org's user
    Then Salesforce shows the error "redirect_uri_mismatch" and does not send the administrator back

    Examples:
      | listed                    |
      | https://172.12.0.1/       |
      | http://172.12.0.1         |
      | https://172.12.0.1:8443   |
      | https://172.12.0.1/oauth  |
      | https://172.12.0.1:443    |
      | HTTPS://172.12.0.1        |
      | https://172.12.0.10       |
      | https://172.12.0.1?a=1    |
      | https://acme.internal.com |

  Scenario Outline: A listed URL that is only the start of the address in use is a miss
    Given an external client app set up as the guide asks, with the callback URLs "<listed>"
    When the administrator opens "https://acme.internal.com/"
    And the administrator enters the app's consumer key and secret
    And the administrator authorizes as the org's user
    Then Salesforce shows the error "redirect_uri_mismatch" and does not send the administrator back

    Examples:
      | listed                   |
      | https://acme.internal.co |
      | https://acme.internal    |
      | https://acme             |

  Scenario: Reaching the appliance at another port of a listed address is a miss
    Given an external client app set up as the guide asks, with the callback URLs "https://172.12.0.1"
    When the administrator opens "https://172.12.0.1:8443/"
    And the administrator enters the app's consumer key and secret
    And the administrator authorizes as the org's user
    Then Salesforce shows the error "redirect_uri_mismatch" and does not send the administrator back

  Scenario: Salesforce's token endpoint takes a code only with the callback URL it was issued for
    Given an external client app set up as the guide asks, with the callback URLs "https://172.12.0.1 https://acme.internal.com"
    When another OAuth client gets an authorization code for the app as the org's user
    Then Salesforce refuses the code exchange for the callback URL "https://acme.internal.com"

  Scenario: Adding the wizard's URL to an app made for another address lets it connect
    Given an external client app set up as the guide asks, with the callback URLs "https://backup.example.net"
    When the Salesforce administrator adds "https://172.12.0.1" to the app's callback URLs
    And the administrator opens "https://172.12.0.1/"
    And the administrator enters the app's consumer key and secret
    And the administrator authorizes as the org's user
    Then the org is connected
    And the app's callback URLs are exactly:
      | https://backup.example.net |
      | https://172.12.0.1         |
