// Apache Jena, the engine and database under Fuseki, reading talkgraph's exports (run by tests/jvm.rs).
//
//   java Jena.java parse FILE...                 one line per file: FILE<TAB>quads parsed by RIOT
//   java Jena.java query TDB2_DIR OUT_DIR SPEC... each SPEC "QUERY.rq|name=value|…" answered by ARQ over the
//                                               TDB2 database (union default graph, as Fuseki is set up in
//                                               the README) and written as SPARQL CSV to OUT_DIR/<n>.csv
//
// A parameter binds ?nameKey to the value in lower case, the way talkgraph binds a canned query's
// parameters (as a solution, not spliced into the text).
import java.io.FileOutputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.jena.query.*;
import org.apache.jena.rdf.model.ResourceFactory;
import org.apache.jena.riot.RDFDataMgr;
import org.apache.jena.sparql.core.DatasetGraph;
import org.apache.jena.sparql.core.DatasetGraphFactory;
import org.apache.jena.tdb2.TDB2;
import org.apache.jena.tdb2.TDB2Factory;

public class Jena {
    public static void main(String[] args) throws Exception {
        if (args[0].equals("parse")) {
            for (int i = 1; i < args.length; i++) {
                DatasetGraph dataset = DatasetGraphFactory.create();
                RDFDataMgr.read(dataset, args[i]);
                System.out.println(args[i] + "\t" + dataset.stream().count());
            }
        } else if (args[0].equals("query")) {
            Dataset dataset = TDB2Factory.connectDataset(args[1]);
            dataset.getContext().set(TDB2.symUnionDefaultGraph, true);
            for (int i = 3; i < args.length; i++) {
                String[] spec = args[i].split("\\|");
                Query query = QueryFactory.create(Files.readString(Path.of(spec[0])));
                QuerySolutionMap binding = new QuerySolutionMap();
                for (int p = 1; p < spec.length; p++) {
                    String[] pair = spec[p].split("=", 2);
                    binding.add(pair[0] + "Key", ResourceFactory.createPlainLiteral(pair[1].toLowerCase()));
                }
                dataset.begin(ReadWrite.READ);
                try (QueryExecution execution = QueryExecution.dataset(dataset).query(query).initialBinding(binding).build();
                     OutputStream out = new FileOutputStream(Path.of(args[2], (i - 3) + ".csv").toFile())) {
                    ResultSetFormatter.outputAsCSV(out, execution.execSelect());
                } finally {
                    dataset.end();
                }
            }
        } else {
            throw new IllegalArgumentException("parse or query, not " + args[0]);
        }
    }
}
