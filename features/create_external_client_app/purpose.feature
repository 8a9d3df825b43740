@PURPOSE
Feature: The app's credentials open the org that the default backup policy protects
  The keys of the external client app entered at this step are what the appliance uses to reach
  the one Salesforce org it connects during the wizard; that org becomes the one protected by the
  default backup policy the wizard creates.

  Background:
    Given a Salesforce org with a system administrator
    And the appliance wizard is at the external client app step
    And an external client app set up as the guide asks, with the callback URLs "https://172.12.0.1"

  Scenario Outline: Finishing the wizard protects exactly the authorized org
    When the administrator opens "https://172.12.0.1/"
    And the administrator enters the app's consumer key and secret
    And the administrator authorizes as the org's user
    And the administrator finishes the wizard with the "<schedule>" schedule
    And the administrator logs in to the appliance
    Then the default backup policy protects exactly that org with the "<schedule>" schedule
    And the default backup policy leaves files and attachments out and keeps backups for 1 year

    Examples:
      | schedule |
      | Daily    |
      | Weekly   |

  Scenario: The first backup runs on tokens issued to that app
    When the administrator opens "https://172.12.0.1/"
    And the administrator enters the app's consumer key and secret
    And the administrator authorizes as the org's user
    And the administrator finishes the wizard with the "Hourly" schedule
    And the administrator logs in to the appliance
    And the administrator runs the default backup policy now
    Then the backup succeeds and holds records of the org
    And Salesforce holds a grant of the app for the org's user

  Scenario: The appliance names the org and the user the app's credentials connected it as
    When the administrator opens "https://172.12.0.1/"
    And the administrator enters the app's consumer key and secret
    And the administrator authorizes as the org's user
    Then the appliance says it connected to the org as the org's user
    And the granted scopes include "full refresh_token openid"

  Scenario: Authorizing again as the same user in the wizard keeps that one org protected
    When the administrator opens "https://172.12.0.1/"
    And the administrator enters the app's consumer key and secret
    And the administrator authorizes as the org's user
    And the administrator authorizes as the org's user
    And the administrator finishes the wizard with the "Daily" schedule
    And the administrator logs in to the appliance
    And the administrator runs the default backup policy now
    Then the default backup policy protects exactly that org with the "Daily" schedule
    And the backup succeeds and holds records of the org

  Scenario: Without an authorized org the wizard does not go on to the schedule
    When the administrator opens "https://172.12.0.1/"
    And the administrator enters the app's consumer key and secret
    And the administrator presses Next at the Salesforce step without authorizing
    Then the wizard refuses to go on, saying "Authorize the connection to Salesforce first."

  Scenario: An hourly default policy backs the org up within the hour
    When the administrator opens "https://172.12.0.1/"
    And the administrator enters the app's consumer key and secret
    And the administrator authorizes as the org's user
    And the administrator finishes the wizard with the "Hourly" schedule
    And an hour passes on the appliance's clock
    And the administrator logs in to the appliance
    Then the default backup policy has backed up the org once, by its schedule

  Scenario: Going back to connect a second org with its own app leaves only that org protected
    Given a second Salesforce org with a system administrator and its own app set up as the guide asks
    When the administrator opens "https://172.12.0.1/"
    And the administrator enters the app's consumer key and secret
    And the administrator authorizes as the org's user
    And the administrator enters the second org's own app's consumer key and secret
    And the administrator authorizes as the second org's user
    And the administrator finishes the wizard with the "Daily" schedule
    And the administrator logs in to the appliance
    Then the default backup policy protects exactly the second org with the "Daily" schedule
    And the appliance holds a connection to the second org only
    And the first org's user holds no live grant of any app

  Scenario: Before 3.2, authorizing a second org with the same connected app leaves only that org protected
    Given a second Salesforce org with a system administrator and its own app set up as the guide asks
    And the pre-3.2 appliance wizard is at its app step
    And a connected app in the org set up as the guide asks, with the pre-3.2 appliance's callback URL
    When the administrator opens "https://legacy.acme.internal.com/"
    And the administrator enters the app's consumer key and secret
    And the administrator authorizes as the org's user
    And the administrator authorizes as the second org's user
    And the administrator finishes the wizard with the "Weekly" schedule
    And the administrator logs in to the pre-3.2 appliance
    Then the default backup policy protects exactly the second org with the "Weekly" schedule
    And the appliance holds a connection to the second org only
    And the first org's user holds no live grant of any app

  Scenario: The wizard does not finish before a schedule is chosen for the default policy
    When the administrator opens "https://172.12.0.1/"
    And the administrator enters the app's consumer key and secret
    And the administrator authorizes as the org's user
    And the administrator tries to finish the wizard before choosing a schedule
    Then the wizard is still open at its "Connect to Salesforce" step

  Scenario: The org is connected even when Salesforce does not say which user signed in
    Given Salesforce's identity service answers with an error
    When the administrator opens "https://172.12.0.1/"
    And the administrator enters the app's consumer key and secret
    And the administrator authorizes as the org's user
    Then the appliance says it connected to the org without naming a user
