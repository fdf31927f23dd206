import ArgumentParser
import CSV
import DNN
import Foundation

struct Predict: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Predict every example in a data file (its class, target values or labels), or a photo's class.",
        discussion: """
            Prints one CSV line per example: its index (or --id-column), then for a two-class model the \
            probability of class 1, the predicted label and the class name; for more classes the label, \
            the class name and every class's probability; for a regression one value per target, in a \
            column named by it; for labels each label's 0/1 decision, then its probability. Targets in \
            the file, if any, are not used.

              dnn predict --model cat.json --data test_catvnoncat.h5 --output predictions.csv
              dnn predict --model model.json --data new.csv --id-column patient

            With --image, classifies one photo as the course's "test with your own image" does: the \
            picture is made RGB, resized to 64x64, flattened row-major and divided by 255.

              dnn predict --model cat.json --image my_image.jpg
            """)

    @OptionGroup var modelOptions: ModelDataOptions

    @Option(help: "The examples (.h5 or .csv); target columns are not needed, and not used if present.")
    var data: String?

    @Option(help: "A photo (JPEG or PNG) to classify, resized to the model's 64x64 input as the course does.")
    var image: String?

    @OptionGroup var dataOptions: DataOptions

    @Option(help: "Write the predictions to this CSV file instead of printing them.")
    var output: String?

    func validate() throws {
        guard (data == nil) != (image == nil) else { throw ValidationError("give either --data FILE or --image PHOTO") }
        if image != nil && output != nil { throw ValidationError("--output goes with --data, not --image") }
        if image != nil && dataOptions.idColumn != nil {
            throw ValidationError("--id-column goes with --data, not --image")
        }
    }

    func run() throws {
        let network = try DeepNeuralNetwork(contentsOf: modelOptions.model)
        if let image { return try predictImage(network, image) }
        let data = self.data!
        if let output { try requireWritableOutput(output, inputs: [modelOptions.model, data]) }
        let examples = try dataOptions.loadUnlabelled(data, like: KnownTargets(network))
        Console().report(examples, from: data)
        let X = try modelOptions.features(examples, for: network, source: data)
        let (outputs, decisions) = try network.predict(X, threshold: modelOptions.threshold)
        let csv = try CSVWriter(stream: OutputStream(toMemory: ()))
        let (header, row) = Self.columns(network.task, outputs, decisions)
        try csv.write(row: [dataOptions.idColumn ?? "example"] + header)
        for i in 0..<outputs.cols {
            try csv.write(row: [examples.ids?[i] ?? "\(i)"] + row(i))
        }
        csv.stream.close()
        let bytes = csv.stream.property(forKey: .dataWrittenToMemoryStreamKey) as? Data ?? Data()
        let text = bytes + Data("\n".utf8)
        if let output {
            try writeFileAtomically(text, to: output)
            print("\(outputs.cols) predictions written to \(output).")
        } else if isatty(STDOUT_FILENO) != 0 {
            // On a terminal, names and identifiers from the files are shown, not acted on; into a
            // pipe or a file they go as they are.
            print(String(decoding: bytes, as: UTF8.self))
        } else {
            FileHandle.standardOutput.write(text)
        }
    }

    /// The prediction columns after the identifier, and each example's cells. Two classes: the
    /// probability of class 1, the label and the class name; K classes: the label, the class name
    /// and every class's probability; regression: one column per target, named by it; labels: each
    /// label's 0/1 decision, named by it, then its probability.
    static func columns(_ task: LearningTask, _ outputs: Matrix, _ decisions: Matrix) -> ([String], (Int) -> [String]) {
        let names = task.names
        switch task {
        case .classification where outputs.rows == 1:
            return (
                ["probability", "label", "class"],
                { i in ["\(outputs[0, i])", "\(Int(decisions[0, i]))", names[Int(decisions[0, i])]] }
            )
        case .classification:
            return (
                ["label", "class"] + names.map { "probability \($0)" },
                { i in
                    let label = Int(decisions[0, i])
                    return ["\(label)", names[label]] + (0..<names.count).map { "\(outputs[$0, i])" }
                }
            )
        case .regression:
            return (names, { i in (0..<names.count).map { "\(outputs[$0, i])" } })
        case .multilabel:
            return (
                names + names.map { "probability \($0)" },
                { i in
                    (0..<names.count).map { "\(Int(decisions[$0, i]))" } + (0..<names.count).map { "\(outputs[$0, i])" }
                }
            )
        }
    }

    /// The course's "test with your own image": two classes as the course prints them (the
    /// probability of class 1), more with the predicted class's probability.
    private func predictImage(_ network: DeepNeuralNetwork, _ path: String) throws {
        let prediction: (label: Int, probabilities: [Double])
        do {
            prediction = try network.predictImage(atPath: path, threshold: modelOptions.threshold)
        } catch let error as DNNError where error.message.hasPrefix("the model takes") {
            throw DNNError("\(modelOptions.model): \(error.message)")
        }
        let names = network.classNames.map(terminalSafe)
        let (label, probabilities) = prediction
        print(
            names.count == 2
                ? "\(terminalSafe(path)): \(names[label]) (probability of \(names[1]): \(probabilities[1]))"
                : "\(terminalSafe(path)): \(names[label]) (probability \(probabilities[label]))")
    }
}
