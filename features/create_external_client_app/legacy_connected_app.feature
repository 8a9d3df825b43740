@LEGACY-3.2
Feature: One app per org from 3.2; one shared connected app before
  Up to version 3.1 a single connected app, configured once, authorized every protected org; from
  3.2 each org is connected through an external client app of its own.

  Scenario: Before 3.2, one connected app serves every org and a change to it touches them all
    Given two Salesforce orgs, each with a system administrator
    And a pre-3.2 appliance protecting both orgs through one connected app set up as the guide asks
    And the administrator is logged in to the pre-3.2 appliance
    Then both orgs show the status "Connected" and the same app
    When the administrator replaces the shared connected app with a new one set up as the guide asks
    Then both orgs show the status "Re-authorization required"
    And each org's status says the connected app changed
    And neither org's user holds a live grant of any app
    When the administrator re-authorizes both orgs as their users
    Then both orgs show the status "Connected"
    And each org's user holds a live grant of the new connected app and of no other app

  Scenario: Before 3.2, an org cannot be given a connected app of its own
    Given two Salesforce orgs, each with a system administrator
    And a pre-3.2 appliance protecting both orgs through one connected app set up as the guide asks
    And the administrator is logged in to the pre-3.2 appliance
    When the administrator tries to give the first org a connected app of its own
    Then the appliance refuses, saying "Before 3.2 every organization uses the connected app under Security."
    And both orgs show the status "Connected" and the same app

  Scenario: From 3.2, adding an org asks for that org's own app
    Given a Salesforce org with a system administrator
    And the appliance protects the org through an app set up as the guide asks
    And the administrator is logged in to the appliance
    And a second Salesforce org with a system administrator and its own app set up as the guide asks
    When the administrator adds the second org with its own app
    Then the second org is connected
    And each org shows its own app
    And a backup run now succeeds

  Scenario: From 3.2 no connected app is shared between orgs
    Given a Salesforce org with a system administrator
    And the appliance protects the org through an app set up as the guide asks
    And the administrator is logged in to the appliance
    Then the appliance holds no shared connected app
    When the administrator tries to set a shared connected app set up as the guide asks
    Then the appliance refuses, saying "From 3.2 each organization has its own external client app; use Edit Connection."
    And the org's status is "Connected"

  Scenario: Before 3.2 the wizard's fifth step asks for a connected app, at the address in use
    Given a Salesforce org with a system administrator
    And the pre-3.2 appliance wizard is at its app step
    When the administrator opens "https://legacy.acme.internal.com/"
    Then the wizard's app step is titled "Create Connected App"
    And the wizard shows the callback URL "https://legacy.acme.internal.com"

  Scenario: From 3.2 the wizard's fifth step asks for an external client app
    Given a Salesforce org with a system administrator
    And the appliance wizard is at the external client app step
    When the administrator opens "https://172.12.0.1/"
    Then the wizard's app step is titled "Create External Client App"
