#!/bin/sh
# Kafka of the compose stack (docker-compose.yml), run in the apache/kafka image: TLS with SCRAM-SHA-512 logins
# and least-privilege ACLs, as the local stack runs it (deploy/devstack Kafka.java and KafkaSecurity.java) and as
# Strimzi does on Kubernetes (deploy/kubernetes/kafka.yaml, kafka-users.yaml); docs/security.md, section 9.
#
#   kafka.sh broker   the kafka service: writes the broker's settings, formats the storage on the first start
#                     (with the SCRAM users), then runs the broker
#   kafka.sh health   its health check: the admin asks the broker for its API versions over SASL_SSL
#   kafka.sh init     the kafka-init service: the topics and the ACLs, as the admin (safe to run again)
#
# Everything secret comes from the environment (TANDEM_KAFKA_*, from .env, which generate-env writes); the files
# made from it stay inside the container, readable by its user only.
set -eu

bin=${KAFKA_HOME:-/opt/kafka}/bin
work=${TANDEM_KAFKA_WORK:-/tmp/tandem-kafka}
data=${TANDEM_KAFKA_DATA:-/var/lib/kafka/data}
bootstrap=kafka:9092
admin=tandem-admin
mechanism=SCRAM-SHA-512

need() {
  for v in "$@"; do
    eval "value=\${$v:-}"
    [ -n "$value" ] || { echo "kafka.sh: $v is not set; run deploy/compose/generate-env" >&2; exit 1; }
  done
}

jaas() {
  printf 'org.apache.kafka.common.security.scram.ScramLoginModule required username="%s" password="%s";' "$1" "$2"
}

umask 077
mkdir -p "$work"

# The admin's client settings, for the health check and kafka-init: the CA certificate is the only one trusted.
admin_config() {
  need TANDEM_KAFKA_ADMIN_PASSWORD TANDEM_KAFKA_CA_CERTIFICATE
  cat > "$work/admin.properties" <<EOF
security.protocol=SASL_SSL
sasl.mechanism=$mechanism
sasl.jaas.config=$(jaas "$admin" "$TANDEM_KAFKA_ADMIN_PASSWORD")
ssl.truststore.type=PEM
ssl.truststore.certificates=$TANDEM_KAFKA_CA_CERTIFICATE
EOF
}

# Which SCRAM users the storage was formatted with: a digest of their passwords (random, from generate-env).
users_digest() {
  printf '%s\n' "$TANDEM_KAFKA_ADMIN_PASSWORD" "$TANDEM_KAFKA_REGISTRY_PASSWORD" \
    "$TANDEM_KAFKA_REFERRAL_PASSWORD" "$TANDEM_KAFKA_NOTIFICATION_PASSWORD" | sha256sum | cut -d' ' -f1
}

broker() {
  need TANDEM_KAFKA_ADMIN_PASSWORD TANDEM_KAFKA_REGISTRY_PASSWORD TANDEM_KAFKA_REFERRAL_PASSWORD \
    TANDEM_KAFKA_NOTIFICATION_PASSWORD TANDEM_KAFKA_BROKER_KEYSTORE TANDEM_KAFKA_BROKER_KEYSTORE_PASSWORD \
    TANDEM_KAFKA_CA_CERTIFICATE
  printf '%s' "$TANDEM_KAFKA_BROKER_KEYSTORE" | base64 -d > "$work/broker.p12"
  admin_config
  # One SASL_SSL listener for every client (the broker logs in to itself as the admin) and the controller
  # listener with mutual TLS: only the holder of the broker's certificate (CN=kafka-broker) gets in. No listener
  # speaks plaintext. Every request is authorised: the admin and the broker are super users, each service has
  # the ACLs that kafka-init creates, and whatever no ACL allows is refused.
  cat > "$work/server.properties" <<EOF
process.roles=broker,controller
node.id=1
controller.quorum.bootstrap.servers=kafka:9093
listeners=SASL_SSL://:9092,CONTROLLER://:9093
advertised.listeners=SASL_SSL://kafka:9092,CONTROLLER://kafka:9093
controller.listener.names=CONTROLLER
inter.broker.listener.name=SASL_SSL
listener.security.protocol.map=CONTROLLER:SSL,SASL_SSL:SASL_SSL
sasl.enabled.mechanisms=$mechanism
sasl.mechanism.inter.broker.protocol=$mechanism
listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config=$(jaas "$admin" "$TANDEM_KAFKA_ADMIN_PASSWORD")
listener.name.controller.ssl.client.auth=required
authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer
allow.everyone.if.no.acl.found=false
super.users=User:$admin;User:CN=kafka-broker
ssl.keystore.type=PKCS12
ssl.keystore.location=$work/broker.p12
ssl.keystore.password=$TANDEM_KAFKA_BROKER_KEYSTORE_PASSWORD
ssl.truststore.type=PEM
ssl.truststore.certificates=$TANDEM_KAFKA_CA_CERTIFICATE
log.dirs=$data
num.partitions=1
auto.create.topics.enable=false
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
EOF
  digest=$(users_digest)
  if [ ! -e "$data/meta.properties" ]; then
    # SCRAM users live in KRaft's metadata: the broker's own login must be there before it starts
    "$bin/kafka-storage.sh" format --standalone --cluster-id "$("$bin/kafka-storage.sh" random-uuid)" \
      --config "$work/server.properties" \
      --add-scram "$mechanism=[name=$admin,iterations=8192,password=$TANDEM_KAFKA_ADMIN_PASSWORD]" \
      --add-scram "$mechanism=[name=registry-service,iterations=8192,password=$TANDEM_KAFKA_REGISTRY_PASSWORD]" \
      --add-scram "$mechanism=[name=referral-service,iterations=8192,password=$TANDEM_KAFKA_REFERRAL_PASSWORD]" \
      --add-scram "$mechanism=[name=notification-service,iterations=8192,password=$TANDEM_KAFKA_NOTIFICATION_PASSWORD]" \
      > /dev/null # it prints the users' SCRAM records, which should not end in the container's log
    echo "kafka.sh: formatted $data with the SCRAM users tandem-admin, registry-service, referral-service, notification-service"
    printf '%s\n' "$digest" > "$data/tandem-users.sha256"
  elif [ "$(cat "$data/tandem-users.sha256" 2>/dev/null)" != "$digest" ]; then
    echo "kafka.sh: the data on volume kafka-data was formatted with other Kafka users or passwords than .env's" \
      "(another .env, or a stack from before Kafka had TLS and SCRAM), so no one could log in. Restore the .env" \
      "it was made with, or remove the volume (docker compose down; docker volume rm tandem_kafka-data) to start" \
      "afresh: its topics and records are then lost." >&2
    exit 1
  fi
  export KAFKA_HEAP_OPTS="${KAFKA_HEAP_OPTS:--Xms256m -Xmx512m}"
  exec "$bin/kafka-server-start.sh" "$work/server.properties"
}

health() {
  [ -s "$work/admin.properties" ] || admin_config
  "$bin/kafka-broker-api-versions.sh" --bootstrap-server "$bootstrap" --command-config "$work/admin.properties" \
    > /dev/null
}

# topic NAME PARTITIONS CONFIG...: created if missing; its configuration set again, so a changed retention
# applies to a stack made before the change. The same topics as deploy/kubernetes/kafka-topics.yaml.
topic() {
  name=$1 partitions=$2
  shift 2
  configs=$(printf '%s,' "$@")
  for c in "$@"; do set -- "$@" --config "$c"; shift; done
  "$bin/kafka-topics.sh" --bootstrap-server "$bootstrap" --command-config "$work/admin.properties" \
    --create --if-not-exists --topic "$name" --partitions "$partitions" --replication-factor 1 "$@"
  "$bin/kafka-configs.sh" --bootstrap-server "$bootstrap" --command-config "$work/admin.properties" \
    --alter --entity-type topics --entity-name "$name" --add-config "${configs%,}"
}

# acl USER topic|group NAME OPERATION...: allows USER the operations on the literal resource (an existing ACL
# stays as it is). The same ACLs as the KafkaUsers of deploy/kubernetes/kafka-users.yaml; ComposeKafkaTest in
# deploy/manifests keeps them equal.
acl() {
  user=$1 type=$2 name=$3
  shift 3
  for o in "$@"; do set -- "$@" --operation "$o"; shift; done
  "$bin/kafka-acls.sh" --bootstrap-server "$bootstrap" --command-config "$work/admin.properties" \
    --add --allow-principal "User:$user" --"$type" "$name" --resource-pattern-type literal "$@" > /dev/null
}

init() {
  admin_config
  topic tandem.organisations.v1 3 cleanup.policy=compact retention.ms=-1
  topic tandem.referrals.v1 6 cleanup.policy=delete retention.ms=1209600000
  topic tandem.audit-anchors.v1 1 cleanup.policy=compact retention.ms=-1

  acl registry-service topic tandem.organisations.v1 Write Describe
  acl registry-service topic tandem.referrals.v1 Read Describe
  acl registry-service group registry-service.referrals Read
  acl registry-service topic tandem.audit-anchors.v1 Write Read Describe

  acl referral-service topic tandem.referrals.v1 Write Describe
  acl referral-service topic tandem.organisations.v1 Read Describe
  acl referral-service group referral-service.organisations Read
  acl referral-service topic tandem.audit-anchors.v1 Write Read Describe

  acl notification-service topic tandem.organisations.v1 Read Describe
  acl notification-service topic tandem.referrals.v1 Read Describe
  acl notification-service group notification-service.organisation-directory Read
  acl notification-service group notification-service.organisations Read
  acl notification-service group notification-service.referrals Read
  acl notification-service group notification-service.audit-anchors Read
  acl notification-service topic tandem.audit-anchors.v1 Write Read Describe
  echo "kafka-init: topics and ACLs are in place"
}

case "${1:-}" in
  broker) broker ;;
  health) health ;;
  init) init ;;
  *) echo "usage: kafka.sh broker|health|init" >&2; exit 2 ;;
esac
