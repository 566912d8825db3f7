"""Prints the Java class path for one of the JVM RDF libraries Debian packages, for tests/jvm.rs.

    python3 jvm_classpath.py jena|owlapi SCRATCH_DIR

jena   - Apache Jena (libapache-jena-java): RIOT parsers, ARQ, TDB2 (the engine and database of Fuseki).
owlapi - the OWL API (libowlapi-java; Protégé's parser) with RDF4J Rio (librdf4j-java; GraphDB's parsers).

Debian's jena-core moves Jena's shaded Xerces classes from `org.apache.jena.ext.xerces` to `xerces` but
leaves their message bundles at the old path, so Jena fails at start-up ("internal error" in
XSSimpleTypeDecl); the bundles are copied to where the classes look, under SCRATCH_DIR.
"""
import pathlib
import sys
import zipfile

JAVA = pathlib.Path("/usr/share/java")
COMMON = ["commons-codec", "commons-io", "commons-lang3", "guava", "httpclient", "httpclient-cache", "httpcore",
          "jackson-annotations", "jackson-core", "jackson-databind", "jsonld-java", "slf4j-api", "slf4j-nop"]
JENA = ["commons-cli", "commons-compress", "commons-csv", "dexx.collection", "gson", "jakarta.json-api", "protobuf",
        "thrift", "titanium-json-ld"]
OWLAPI = ["owlapi-distribution", "atinject-jsr330-api", "caffeine", "commons-logging", "commons-rdf-api", "commons-text",
          "hppcrt", "jsr305", "xz"]


def jars(names):
    found = [JAVA / f"{name}.jar" for name in names]
    missing = [str(p) for p in found if not p.exists()]
    if missing:
        sys.exit(f"missing jars: {missing}")
    return [str(p) for p in found]


def xerces_bundles(scratch):
    """Copies jena-core's Xerces message bundles to the package its classes are in."""
    out = scratch / "jena-xerces-bundles"
    with zipfile.ZipFile(JAVA / "jena-core.jar") as jar:
        for name in jar.namelist():
            old = "org/apache/jena/ext/xerces/"
            if name.startswith(old) and name.endswith(".properties"):
                target = out / "xerces" / name[len(old):]
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(jar.read(name))
    return str(out)


def main():
    library, scratch = sys.argv[1], pathlib.Path(sys.argv[2])
    if library == "jena":
        path = [xerces_bundles(scratch)] + [str(p) for p in sorted(JAVA.glob("jena-*.jar")) if "-4." not in p.name]
        path += jars(COMMON + JENA)
    elif library == "owlapi":
        rdf4j = sorted(p.stem for p in JAVA.glob("rdf4j-*.jar") if not any(c.isdigit() for c in p.stem.split("-")[-1]))
        path = jars(COMMON + OWLAPI + rdf4j)
    else:
        sys.exit(f"unknown library {library!r}: jena or owlapi")
    print(":".join(path))


main()
