// The OWL API, with which Protégé opens an ontology, reading talkgraph's ontology and exports (run by
// tests/jvm.rs).
//
//   java Owl.java FILE...   per file, lines KEY<TAB>VALUE after a "file<TAB>FILE" line: unparsed (triples the
//                           OWL API could not read as OWL), then one line per named individual, class,
//                           object property and data property in the file's signature
import java.io.File;
import org.semanticweb.owlapi.apibinding.OWLManager;
import org.semanticweb.owlapi.model.*;

public class Owl {
    public static void main(String[] args) throws Exception {
        for (String file : args) {
            OWLOntologyManager manager = OWLManager.createOWLOntologyManager();
            OWLOntology ontology = manager.loadOntologyFromOntologyDocument(new File(file));
            long unparsed = manager.getOntologyFormat(ontology).getOntologyLoaderMetaData()
                .map(meta -> meta.getUnparsedTriples().count()).orElse(-1L);
            System.out.println("file\t" + file);
            System.out.println("unparsed\t" + unparsed);
            ontology.getIndividualsInSignature().forEach(i -> System.out.println("individual\t" + i.getIRI()));
            ontology.getClassesInSignature().forEach(c -> System.out.println("class\t" + c.getIRI()));
            ontology.getObjectPropertiesInSignature().forEach(p -> System.out.println("objectProperty\t" + p.getIRI()));
            ontology.getDataPropertiesInSignature().forEach(p -> System.out.println("dataProperty\t" + p.getIRI()));
        }
    }
}
