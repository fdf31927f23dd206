import ArgumentParser
import DNN
import Foundation

struct Predict: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Predict the class of every example in a data file.",
        discussion: """
            Prints one CSV line per example: its index, the probability of class 1, the predicted \
            label (1 when the probability is above 0.5) and the class name.

              dnn predict --model cat.json --data test_catvnoncat.h5 --output predictions.csv
            """)

    @Option(help: "The model file (written by `dnn train --output`).")
    var model: String

    @Option(help: "The examples (.h5 or .csv); labels, if present, are not used.")
    var data: String

    @OptionGroup var dataOptions: DataOptions

    @Option(help: "Write the predictions to this CSV file instead of printing them.")
    var output: String?

    func run() throws {
        let network = try DeepNeuralNetwork(contentsOf: model)
        let examples = try dataOptions.load(data)
        try network.checkInput(examples.X, source: data)
        if let output { try requireWritableDirectory(for: output) }
        let (probabilities, labels) = try network.predict(examples.X)
        let names = network.classNames
        let csv =
            "example,probability,label,class\n"
            + (0..<labels.cols).map { i in
                let label = Int(labels[0, i])
                return "\(i),\(probabilities[0, i]),\(label),\(names[label])\n"
            }.joined()
        if let output {
            try writeFileAtomically(Data(csv.utf8), to: output)
            print("\(labels.cols) predictions written to \(output).")
        } else {
            print(csv, terminator: "")
        }
    }
}
