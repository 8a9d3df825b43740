@SCOPES
Feature: The app carries the three OAuth scopes the appliance needs
  The app needs full access, the right to act at any time (refresh_token, which Salesforce also
  calls offline_access) and access to unique user identifiers (openid). The appliance checks the
  scopes Salesforce actually granted and refuses an app that lacks one, naming it.

  Background:
    Given a Salesforce org with a system administrator
    And the appliance wizard is at the external client app step

  Scenario Outline: An app without a required scope is refused, and the scope is named
    Given an external client app set up as the guide asks, but with only the scopes "<scopes>"
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
    Given an external client app set up as the guide asks, but with only the scopes "<scopes>"
    When the administrator opens "https://172.12.0.1/"
    And the administrator enters the app's consumer key and secret
    And the administrator authorizes as the org's user
    Then the org is connected
    And the granted scopes include "<granted>"

    Examples:
      | scopes                     | granted                    |
      | full refresh_token openid  | full refresh_token openid  |
      | full offline_access openid | full offline_access openid |
