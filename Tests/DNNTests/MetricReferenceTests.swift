import Foundation
import Testing

@testable import DNN

/// Precision, recall, F1 and their macro and weighted averages against scikit-learn's
/// (`zero_division=0`): `Reference/metric-references.json`, written by
/// `scripts/make-metric-references.py` from the real test labels of digits and breast cancer and a
/// weak classifier's predictions (on digits, six classes never predicted).
@Suite("Classification averages against scikit-learn")
struct MetricReferenceTests {
    struct Case: Decodable, Sendable, CustomTestStringConvertible {
        let name: String
        let classes: Int
        let actual: [Int]
        let predicted: [Int]
        let never_predicted: [Int]
        let precision: [Double]
        let recall: [Double]
        let f1: [Double]
        let precision_macro, recall_macro, f1_macro: Double
        let precision_weighted, recall_weighted, f1_weighted: Double
        var testDescription: String { name }
    }

    static let cases: [Case] = {
        struct File: Decodable { let cases: [Case] }
        let url = Reference.directory.appendingPathComponent("metric-references.json")
        return try! JSONDecoder().decode(File.self, from: Data(contentsOf: url)).cases
    }()

    @Test("per class, macro and weighted: scikit-learn's numbers to 1e-12", arguments: cases)
    func averages(_ c: Case) {
        let evaluation = Evaluation(
            classNames: (0..<c.classes).map(String.init), actual: c.actual, predicted: c.predicted, logLoss: 0,
            rocAUC: nil, threshold: 0.5)
        #expect(c.name != "digits" || !c.never_predicted.isEmpty, "the case a class is never predicted")
        func close(_ a: Double?, _ b: Double) -> Bool { abs((a ?? .nan) - b) < 1e-12 }
        for k in 0..<c.classes {
            #expect(close(evaluation.precision(k) ?? 0, c.precision[k]), "precision of \(k)")
            #expect(close(evaluation.recall(k) ?? 0, c.recall[k]), "recall of \(k)")
            #expect(close(evaluation.f1(k) ?? 0, c.f1[k]), "F1 of \(k)")
        }
        #expect(close(evaluation.macro(evaluation.precision), c.precision_macro))
        #expect(close(evaluation.macro(evaluation.recall), c.recall_macro))
        #expect(close(evaluation.macro(evaluation.f1), c.f1_macro))
        #expect(close(evaluation.weighted(evaluation.precision), c.precision_weighted))
        #expect(close(evaluation.weighted(evaluation.recall), c.recall_weighted))
        #expect(close(evaluation.weighted(evaluation.f1), c.f1_weighted))
    }
}
