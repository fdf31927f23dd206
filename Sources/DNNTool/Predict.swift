import ArgumentParser
import DNN
import Foundation

struct Predict: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Predict the class of every example in a data file.",
        discussion: """
            Prints one CSV line per example: its index, the predicted label and class name, and the \
            probability of every class (for a two-class model, 1 when the probability of class 1 is \
            above 0.5; for more, the most probable class).

              dnn predict --model cat.json --data test_catvnoncat.h5 --output predictions.csv

            With --image, classifies one photo as the course's "test with your own image" does: the \
            picture is made RGB, resized to 64x64, flattened row-major and divided by 255.

              dnn predict --model cat.json --image my_image.jpg
            """)

    @Option(help: "The model file (written by `dnn train --output`).")
    var model: String

    @Option(help: "The examples (.h5 or .csv); labels, if present, are not used.")
    var data: String?

    @Option(help: "A photo (JPEG or PNG) to classify, resized to the model's 64x64 input as the course does.")
    var image: String?

    @OptionGroup var dataOptions: DataOptions

    @Option(help: "Write the predictions to this CSV file instead of printing them.")
    var output: String?

    func validate() throws {
        guard (data == nil) != (image == nil) else { throw ValidationError("give either --data FILE or --image PHOTO") }
        if image != nil && output != nil { throw ValidationError("--output goes with --data, not --image") }
    }

    func run() throws {
        let network = try DeepNeuralNetwork(contentsOf: model)
        if let image { return try predictImage(network, image) }
        let data = self.data!
        let examples = try dataOptions.load(data)
        try network.checkInput(examples.X, source: data)
        if let output { try requireWritableDirectory(for: output) }
        let (probabilities, labels) = try network.predict(examples.X)
        let names = network.classNames
        // One probability column per class; one sigmoid unit gives class 1's, class 0's is 1 − it.
        let binary = probabilities.rows == 1
        func probability(_ c: Int, _ i: Int) -> Double {
            binary ? (c == 1 ? probabilities[0, i] : 1 - probabilities[0, i]) : probabilities[c, i]
        }
        let columns = binary ? [1] : Array(0..<names.count)
        let header =
            binary
            ? "example,probability,label,class"
            : "example,label,class,"
                + columns.map { "probability \(csvField(names[$0]))" }.joined(separator: ",")
        let csv =
            header + "\n"
            + (0..<labels.cols).map { i in
                let label = Int(labels[0, i])
                if binary { return "\(i),\(probabilities[0, i]),\(label),\(csvField(names[label]))\n" }
                return "\(i),\(label),\(csvField(names[label])),"
                    + columns.map { "\(probability($0, i))" }.joined(separator: ",") + "\n"
            }.joined()
        if let output {
            try writeFileAtomically(Data(csv.utf8), to: output)
            print("\(labels.cols) predictions written to \(output).")
        } else {
            print(csv, terminator: "")
        }
    }

    /// The course's "test with your own image".
    private func predictImage(_ network: DeepNeuralNetwork, _ path: String) throws {
        let prediction: (probability: Double, label: Int)
        do {
            prediction = try network.predictImage(atPath: path)
        } catch let error as DNNError where error.message.hasPrefix("the model takes") {
            throw DNNError("\(model): \(error.message)")
        }
        let names = network.classNames
        print("\(path): \(names[prediction.label]) (probability of \(names[1]): \(prediction.probability))")
    }
}

/// A CSV field as RFC 4180 writes it: quoted when it holds a comma, a quote or a line break.
func csvField(_ text: String) -> String {
    guard text.contains(where: { $0 == "," || $0 == "\"" || $0.isNewline }) else { return text }
    return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
}
