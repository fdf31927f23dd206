import ArgumentParser
import DNN
import Foundation

struct Info: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Describe a model: its layers, parameter counts and the course's shape table.")

    @Option(help: "The model file (written by `dnn train --output`).")
    var model: String

    func run() throws {
        let network = try DeepNeuralNetwork(contentsOf: model)
        let sizes = network.layerSizes
        print("Model \(model)")
        print("  layers: \(sizes)  (L = \(network.layerCount))")
        print(
            "  network: hidden activations \(network.network.activations.map(\.name)), output \(network.network.head.name)"
        )
        print(
            "  classes: "
                + network.classNames.enumerated().map { "\($0.offset) = \($0.element)" }.joined(separator: ", "))
        if let shape = network.inputShape {
            print("  input: images of \(shape.map(String.init).joined(separator: "x"))")
        }
        if let initialization = network.initialization {
            print("  initialization: \(initialization.scheme.rawValue), seed \(initialization.seed)")
        }
        if let training = network.training {
            let last = training.costs.last.map { String(format: ", last reported cost %f", $0.cost) } ?? ""
            let unit = training.miniBatchSize.map { "epochs of mini-batches of \($0)" } ?? "iterations"
            print(
                "  trained: \(training.iterations) \(unit) at learning rate \(training.learningRate), \(training.precision.rawValue)\(last)"
            )
            print("  optimizer: \(training.optimizer ?? .gradientDescent)")
            if let schedule = training.schedule { print("  learning-rate decay: \(schedule)") }
            if let l2 = training.l2, l2 > 0 { print("  L2 λ: \(l2)") }
            if let keep = training.keepProb, keep < 1 { print("  dropout keep_prob: \(keep)") }
        }
        print("")
        printTable(network.shapeTable)
    }
}

/// Prints rows as columns aligned on the widest cell, the first row as the header.
func printTable(_ rows: [[String]]) {
    let rows = rows.map { $0.map(terminalSafe) }
    let widths = rows[0].indices.map { column in rows.map { $0[column].count }.max()! }
    for (index, row) in rows.enumerated() {
        print(zip(row, widths).map { $0.padding(toLength: $1, withPad: " ", startingAt: 0) }.joined(separator: "  "))
        if index == 0 { print(widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")) }
    }
}
