import ArgumentParser
import DNN
import Foundation

struct Evaluate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measure a model on labelled data: accuracy, confusion matrix, per-class precision and recall.",
        discussion: "  dnn evaluate --model cat.json --data test_catvnoncat.h5")

    @Option(help: "The model file (written by `dnn train --output`).")
    var model: String

    @Option(help: "Labelled examples (.h5 or .csv).")
    var data: String

    @OptionGroup var dataOptions: DataOptions

    @Option(help: "Also write a self-contained HTML report to this file.")
    var report: String?

    func run() throws {
        let network = try DeepNeuralNetwork(contentsOf: model)
        let examples = try dataOptions.load(data)
        if let report { try requireWritableDirectory(for: report) }
        let evaluation = try Evaluation(model: network, data: examples, source: data)
        print("Accuracy: \(evaluation.accuracy)  (\(evaluation.correctCount) of \(evaluation.exampleCount) correct)")
        print("")
        printTable(evaluation.confusionTable)
        print("")
        printTable(evaluation.perClassTable)
        if let report {
            let html = try TrainingReport(
                title: "Evaluation report", model: network, settings: [("Model", model), ("Data", data)],
                measured: [.init(name: "Data", data: examples, evaluation: evaluation)]
            ).html()
            try writeFileAtomically(Data(html.utf8), to: report)
            print("Report written to \(report).")
        }
    }
}
