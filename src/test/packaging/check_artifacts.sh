#!/usr/bin/env bash
# Checks the two jars that `mvn package` builds, in the verify phase:
#   LIBRARY_JAR   the Maven artifact that `mvn install` publishes. It contains mvsim's own classes
#                 only, because the pom declares its dependencies for the projects that use it
#   RUNNABLE_JAR  target/mvsim.jar, which the launcher runs; it bundles the dependencies
# Prints each check and exits 1 at the first one that fails.
set -euo pipefail

library_jar="$1"
runnable_jar="$2"

entries() {
  jar tf "$1" 2>/dev/null
}

fail() {
  echo "check_artifacts: $*" >&2
  exit 1
}

library_entries="$(entries "$library_jar")" || fail "cannot list $library_jar; run mvn package first"
runnable_entries="$(entries "$runnable_jar")" || fail "cannot list $runnable_jar; run mvn package first"

# The library jar: mvsim's classes, and no copy of a dependency that the pom already declares.
grep -q '^dev/mvsim/junit/MvsimExtension.class$' <<<"$library_entries" \
  || fail "$library_jar lacks dev/mvsim/junit/MvsimExtension.class"
for package in org/junit/ com/fasterxml/ org/slf4j/ io/undertow/ picocli/ com/sun/jna/; do
  if grep -q "^$package" <<<"$library_entries"; then
    fail "$library_jar bundles $package; the Maven artifact must be the thin jar, with dependencies in the pom"
  fi
done
echo "check_artifacts: $library_jar contains mvsim's classes only"

# The runnable jar: the command and its runtime dependencies, but not JUnit, which only the
# JUnit extension uses and which a test project brings itself.
for entry in dev/mvsim/cli/Main.class picocli/CommandLine.class org/slf4j/simple/SimpleLogger.class \
    com/fasterxml/jackson/databind/ObjectMapper.class; do
  grep -q "^$entry$" <<<"$runnable_entries" || fail "$runnable_jar lacks $entry"
done
if grep -q '^org/junit/' <<<"$runnable_entries"; then
  fail "$runnable_jar bundles JUnit; its scope in the pom must be provided"
fi
echo "check_artifacts: $runnable_jar contains the command and its runtime dependencies"
