import ArgumentParser
import DNN
import Foundation

struct Evaluate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measure a model on labelled data: accuracy and confusion matrix, R² and RMSE, or per-label F1.",
        discussion: """
            A classifier: the accuracy, the log loss (the model's cost on the data), for two classes the \
            ROC-AUC, the confusion matrix, and each class's precision, recall and F1 with their macro averages. \
            A regression: R², RMSE and MAE per target and their means, on the targets' own scale. Multi-label: \
            the subset accuracy, the Hamming loss, the log loss and each label's precision, recall and F1. \
            --json prints the same figures as one JSON object.

              dnn evaluate --model cat.json --data test_catvnoncat.h5
              dnn evaluate --model model.json --data test.csv --threshold 0.3
              dnn evaluate --model diabetes.json --data diabetes_test.csv --json
            """)

    @OptionGroup var modelOptions: ModelDataOptions

    @Option(help: "Labelled examples (.h5 or .csv).")
    var data: String

    @OptionGroup var dataOptions: DataOptions

    @Option(help: "Also write a self-contained HTML report to this file.")
    var report: String?

    @Flag(help: "Print the figures as one JSON object (null where a figure is undefined).")
    var json = false

    func run() throws {
        let network = try DeepNeuralNetwork(contentsOf: modelOptions.model)
        if let report { try requireWritableOutput(report, inputs: [modelOptions.model, data]) }
        let examples = try dataOptions.load(data, like: KnownTargets(network))
        if !json { Console().report(examples, from: data) }
        let X = try modelOptions.features(examples, for: network, source: data)
        let evaluation = try ModelEvaluation(
            model: network, data: examples, source: data, X: X, threshold: modelOptions.threshold)
        if json {
            FileHandle.standardOutput.write(try evaluation.json() + Data("\n".utf8))
        } else {
            for line in evaluation.summaryLines { print(line) }
            if case .classification(let e) = evaluation, e.confusionTable == nil {
                print("")
                print(e.untabulatedConfusion)
            }
            for table in evaluation.tables {
                print("")
                printTable(table)
            }
        }
        if let report {
            var aligned = examples
            aligned.X = X
            let html = try TrainingReport(
                title: "Evaluation report", model: network,
                settings: [("Model", modelOptions.model), ("Data", data)],
                measured: [.init(name: "Data", data: aligned, result: evaluation)]
            ).html()
            try writeFileAtomically(Data(html.utf8), to: report)
            if !json { print("Report written to \(report).") }
        }
    }
}
