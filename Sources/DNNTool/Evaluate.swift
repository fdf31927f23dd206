import ArgumentParser
import DNN
import Foundation

struct Evaluate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measure a model on labelled data: accuracy, confusion matrix, per-class counts.",
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
        let (names, counts) = (evaluation.classNames, evaluation.counts)
        print("Accuracy: \(evaluation.accuracy)  (\(evaluation.correctCount) of \(evaluation.exampleCount) correct)")
        print("")
        printTable([
            ["", "predicted \(names[0])", "predicted \(names[1])"],
            ["actual \(names[0])", "\(counts[0][0])", "\(counts[0][1])"],
            ["actual \(names[1])", "\(counts[1][0])", "\(counts[1][1])"],
        ])
        print("")
        for c in 0..<2 {
            print("\(names[c]): \(counts[c][0] + counts[c][1]) examples, \(counts[c][c]) predicted correctly")
        }
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
