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

    func run() throws {
        let network = try DeepNeuralNetwork(contentsOf: model)
        let examples = try dataOptions.load(data)
        try network.checkInput(examples.X, source: data)
        let labels = try network.predict(examples.X).labels
        // counts[actual][predicted]
        var counts = [[0, 0], [0, 0]]
        for (predicted, actual) in zip(labels.scalars, examples.Y.scalars) {
            counts[Int(actual)][Int(predicted)] += 1
        }
        let names = examples.classNames == ["0", "1"] ? network.classNames : examples.classNames
        let correct = counts[0][0] + counts[1][1], total = examples.exampleCount
        print("Accuracy: \(Double(correct) / Double(total))  (\(correct) of \(total) correct)")
        print("")
        printTable([
            ["", "predicted \(names[0])", "predicted \(names[1])"],
            ["actual \(names[0])", "\(counts[0][0])", "\(counts[0][1])"],
            ["actual \(names[1])", "\(counts[1][0])", "\(counts[1][1])"],
        ])
        print("")
        for c in 0..<2 {
            let count = counts[c][0] + counts[c][1]
            print("\(names[c]): \(count) examples, \(counts[c][c]) predicted correctly")
        }
    }
}
