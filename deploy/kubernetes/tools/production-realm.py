#!/usr/bin/env python3
"""Writes deploy/kubernetes/keycloak-realm.yaml and deploy/compose/tandem-production-realm.json, the production realm, from the demo realm
deploy/keycloak/tandem-realm.json: the same roles, scopes and mappers, without demo users, demo organisations,
the password-grant client and the demo integration clients; with a password policy, brute-force detection,
PKCE, OTP for org-admins and coordinators, and redirect URIs from the placeholders that the
KeycloakRealmImport fills from Secret tandem-realm-config. Run it again after changing the demo realm's roles,
scopes or mappers; (deploy/kubernetes/README.md)"""
import copy, json, pathlib, sys, yaml

root = pathlib.Path(__file__).resolve().parents[3]
demo = json.loads((root / "deploy/keycloak/tandem-realm.json").read_text())
realm = {k: copy.deepcopy(v) for k, v in demo.items() if k not in ("users", "clients", "groups")}
realm.update({
    "sslRequired": "all",
    "registrationAllowed": False,
    "resetPasswordAllowed": True,
    "verifyEmail": True,
    "passwordPolicy": "length(12) and maxLength(128) and notUsername and notEmail and passwordHistory(5)"
                      " and notContainsUsername",
    "bruteForceProtected": True,
    "permanentLockout": False,
    "failureFactor": 5,
    "otpPolicyType": "totp",
    "otpPolicyAlgorithm": "HmacSHA256",
    "otpPolicyDigits": 6,
    "otpPolicyPeriod": 30,
    "browserFlow": "tandem browser",
})
# OTP for org-admins and coordinators: both roles include 'otp-required', which the login flow's condition tests
roles = realm["roles"]["realm"]
for r in roles:
    if r["name"] in ("org-admin", "coordinator"):
        r["composite"] = True
        r["composites"] = {"realm": ["otp-required"]}
roles.append({"name": "otp-required", "description": "Signs in with a one-time code as well (org-admins, coordinators)"})
roles.append({"name": "sr-admin", "description": "Apicurio Registry: registers schemas and sets rules (the deployment job only)"})
roles.append({"name": "sr-readonly", "description": "Apicurio Registry: reads schemas (the services)"})
realm["groups"] = [{"name": "organisations", "path": "/organisations", "attributes": {}, "subGroups": []}]
realm["authenticationFlows"] = [
    {"alias": "tandem browser", "description": "Cookie, or password then a one-time code for roles that need it",
     "providerId": "basic-flow", "topLevel": True, "builtIn": False, "authenticationExecutions": [
        {"authenticator": "auth-cookie", "requirement": "ALTERNATIVE", "priority": 10, "authenticatorFlow": False,
         "userSetupAllowed": False},
        {"flowAlias": "tandem browser forms", "requirement": "ALTERNATIVE", "priority": 20, "authenticatorFlow": True,
         "userSetupAllowed": False}]},
    {"alias": "tandem browser forms", "description": "Password, then OTP when required", "providerId": "basic-flow",
     "topLevel": False, "builtIn": False, "authenticationExecutions": [
        {"authenticator": "auth-username-password-form", "requirement": "REQUIRED", "priority": 10,
         "authenticatorFlow": False, "userSetupAllowed": False},
        {"flowAlias": "tandem otp when required", "requirement": "CONDITIONAL", "priority": 20,
         "authenticatorFlow": True, "userSetupAllowed": False}]},
    {"alias": "tandem otp when required", "description": "A one-time code for users with role otp-required",
     "providerId": "basic-flow", "topLevel": False, "builtIn": False, "authenticationExecutions": [
        {"authenticator": "conditional-user-role", "authenticatorConfig": "otp-required role",
         "requirement": "REQUIRED", "priority": 10, "authenticatorFlow": False, "userSetupAllowed": False},
        {"authenticator": "auth-otp-form", "requirement": "REQUIRED", "priority": 20, "authenticatorFlow": False,
         "userSetupAllowed": True}]},
]
realm["authenticatorConfig"] = [{"alias": "otp-required role", "config": {"condUserRole": "otp-required", "negate": "false"}}]
realm["requiredActions"] = [
    {"alias": "CONFIGURE_TOTP", "name": "Configure OTP", "providerId": "CONFIGURE_TOTP", "enabled": True,
     "defaultAction": False, "priority": 10, "config": {}},
    {"alias": "UPDATE_PASSWORD", "name": "Update Password", "providerId": "UPDATE_PASSWORD", "enabled": True,
     "defaultAction": False, "priority": 30, "config": {}},
    {"alias": "VERIFY_EMAIL", "name": "Verify Email", "providerId": "VERIFY_EMAIL", "enabled": True,
     "defaultAction": False, "priority": 50, "config": {}},
]
web = next(c for c in demo["clients"] if c["clientId"] == "tandem-web")
web = copy.deepcopy(web)
web.update({"redirectUris": ["${TANDEM_WEB_ORIGIN}/*"], "webOrigins": ["${TANDEM_WEB_ORIGIN}"],
            "directAccessGrantsEnabled": False, "implicitFlowEnabled": False, "serviceAccountsEnabled": False,
            "publicClient": True, "standardFlowEnabled": True})
web.setdefault("attributes", {}).update({"pkce.code.challenge.method": "S256",
                                          "post.logout.redirect.uris": "${TANDEM_WEB_ORIGIN}/*"})
scopes = web.get("defaultClientScopes")

def machine(client_id, description, role, secret):
    return {"clientId": client_id, "description": description, "enabled": True, "publicClient": False,
            "standardFlowEnabled": False, "implicitFlowEnabled": False, "directAccessGrantsEnabled": False,
            "serviceAccountsEnabled": True, "clientAuthenticatorType": "client-secret", "secret": secret,
            "defaultClientScopes": list(scopes), "protocol": "openid-connect"}

clients = [web,
           machine("tandem-schema-admin", "Registers the event schemas in Apicurio (Job tandem-schema-registration)",
                   "sr-admin", "${SCHEMA_ADMIN_SECRET}")]
for s in ("registry-service", "referral-service", "notification-service"):
    clients.append(machine(s, s + " reads the event schemas from Apicurio", "sr-readonly",
                           "${" + s.split("-")[0].upper() + "_SERVICE_SECRET}"))
realm["clients"] = clients
# service accounts with their registry roles
realm["users"] = [{"username": "service-account-tandem-schema-admin", "enabled": True,
                   "serviceAccountClientId": "tandem-schema-admin", "realmRoles": ["sr-admin"]}] + [
    {"username": "service-account-" + s, "enabled": True, "serviceAccountClientId": s, "realmRoles": ["sr-readonly"]}
    for s in ("registry-service", "referral-service", "notification-service")]

class NoAliases(yaml.SafeDumper):
    def ignore_aliases(self, data):
        return True


secret = lambda key: {"secret": {"name": "tandem-realm-config", "key": key}}
doc = {
    "apiVersion": "k8s.keycloak.org/v2alpha1", "kind": "KeycloakRealmImport",
    "metadata": {"name": "tandem-realm", "namespace": "tandem"},
    "spec": {"keycloakCRName": "tandem-keycloak",
             "placeholders": {"TANDEM_WEB_ORIGIN": secret("web-origin"),
                              "SCHEMA_ADMIN_SECRET": secret("schema-admin-secret"),
                              "REGISTRY_SERVICE_SECRET": secret("registry-service-secret"),
                              "REFERRAL_SERVICE_SECRET": secret("referral-service-secret"),
                              "NOTIFICATION_SERVICE_SECRET": secret("notification-service-secret")},
             "realm": realm}}
header = ("# The production realm, imported once by the Keycloak Operator. Generated by tools/production-realm.py from\n"
          "# deploy/keycloak/tandem-realm.json (the demo realm of the local stack): no demo users or organisations, no\n"
          "# password grant, PKCE (S256) for the web application, a password policy, brute-force detection, and a\n"
          "# one-time code for org-admins and coordinators. ${...} are filled from Secret tandem-realm-config.\n")
# the same realm for docker-compose, where Keycloak fills ${...} from its environment when it imports the file
(root / "deploy/compose/tandem-production-realm.json").write_text(json.dumps(realm, indent=2) + "\n")
out = root / "deploy/kubernetes/keycloak-realm.yaml"
out.write_text(header + yaml.dump(doc, Dumper=NoAliases, sort_keys=False, width=120))
print("wrote", out)
