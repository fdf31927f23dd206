import ArgumentParser
import DNN
import Foundation

struct Evaluate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measure a model on labelled data: accuracy, log loss, ROC-AUC, confusion matrix, per-class metrics.",
        discussion: """
            Prints the accuracy, the log loss (the model's cost on the data), for two classes the ROC-AUC, \
            the confusion matrix, and each class's precision, recall and F1 with their macro averages.

              dnn evaluate --model cat.json --data test_catvnoncat.h5
              dnn evaluate --model model.json --data test.csv --threshold 0.3
            """)

    @OptionGroup var modelOptions: ModelDataOptions

    @Option(help: "Labelled examples (.h5 or .csv).")
    var data: String

    @OptionGroup var dataOptions: DataOptions

    @Option(help: "Also write a self-contained HTML report to this file.")
    var report: String?

    func run() throws {
        let network = try DeepNeuralNetwork(contentsOf: modelOptions.model)
        if let report { try requireWritableOutput(report, inputs: [modelOptions.model, data]) }
        let examples = try dataOptions.load(data)
        let X = try modelOptions.features(examples, for: network, source: data)
        let evaluation = try Evaluation(
            model: network, data: examples, source: data, X: X, threshold: modelOptions.threshold)
        for line in evaluation.summaryLines { print(line) }
        print("")
        if let table = evaluation.confusionTable { printTable(table) } else { print(evaluation.untabulatedConfusion) }
        print("")
        printTable(evaluation.perClassTable)
        if let report {
            var aligned = examples
            aligned.X = X
            let html = try TrainingReport(
                title: "Evaluation report", model: network,
                settings: [("Model", modelOptions.model), ("Data", data)],
                measured: [.init(name: "Data", data: aligned, evaluation: evaluation)]
            ).html()
            try writeFileAtomically(Data(html.utf8), to: report)
            print("Report written to \(report).")
        }
    }
}
