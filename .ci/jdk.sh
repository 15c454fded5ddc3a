# Sourced by ./mvnw, ./reflex and .ci/run: selects a JDK >= 21 and exports JAVA_HOME.
# Order: $JAVA_HOME if it is new enough, then the JDKs installed under /usr/lib/jvm
# (newest first). Stops with a clear message when none is found.
reflex_java_major() {
  # prints the feature version of the java binary given, e.g. 25
  "$1" -XshowSettings:properties -version 2>&1 \
    | sed -n 's/^ *java\.specification\.version = //p' | head -n1 | cut -d. -f1
}

reflex_select_jdk() {
  local min=21 candidate major
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then
    major=$(reflex_java_major "$JAVA_HOME/bin/java")
    if [ -n "$major" ] && [ "$major" -ge "$min" ]; then return 0; fi
  fi
  for candidate in $(ls -d /usr/lib/jvm/*/ /usr/local/lib/jvm/*/ /opt/java/*/ 2>/dev/null | sort -rV); do
    candidate=${candidate%/}
    [ -x "$candidate/bin/javac" ] || continue
    major=$(reflex_java_major "$candidate/bin/java")
    if [ -n "$major" ] && [ "$major" -ge "$min" ]; then
      export JAVA_HOME="$candidate"
      return 0
    fi
  done
  echo "Reflex needs a JDK ${min} or newer, and none was found." >&2
  echo "Set JAVA_HOME to one, or install one under /usr/lib/jvm (e.g. Temurin 21 or 25)." >&2
  return 1
}
reflex_select_jdk || exit 1
export PATH="$JAVA_HOME/bin:$PATH"
