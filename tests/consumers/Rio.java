// RDF4J Rio, the parsers GraphDB imports with, reading talkgraph's exports (run by tests/jvm.rs).
//
//   java Rio.java FILE...   one line per file: FILE<TAB>format<TAB>distinct statements parsed
//
// The format is Rio's own choice from the file name; IRIs are checked as the parser reads them.
import java.io.FileInputStream;
import java.io.InputStream;
import java.util.HashSet;
import org.eclipse.rdf4j.rio.RDFFormat;
import org.eclipse.rdf4j.rio.RDFParser;
import org.eclipse.rdf4j.rio.helpers.BasicParserSettings;
import org.eclipse.rdf4j.rio.helpers.StatementCollector;

public class Rio {
    public static void main(String[] args) throws Exception {
        for (String file : args) {
            RDFFormat format = org.eclipse.rdf4j.rio.Rio.getParserFormatForFileName(file).orElseThrow();
            RDFParser parser = org.eclipse.rdf4j.rio.Rio.createParser(format);
            parser.getParserConfig().set(BasicParserSettings.VERIFY_URI_SYNTAX, true);
            StatementCollector statements = new StatementCollector();
            parser.setRDFHandler(statements);
            try (InputStream in = new FileInputStream(file)) {
                parser.parse(in, "https://talkgraph.dev/");
            }
            System.out.println(file + "\t" + format.getName() + "\t" + new HashSet<>(statements.getStatements()).size());
        }
    }
}
