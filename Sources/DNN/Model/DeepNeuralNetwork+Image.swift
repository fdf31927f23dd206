extension DeepNeuralNetwork {
    /// The course's "test with your own image": the photo is read (JPEG, PNG, …), made RGB,
    /// resized to the model's picture size, flattened row-major and divided by 255, then predicted.
    ///
    /// Returns the predicted class (for two classes, class 1 when its probability is above
    /// `threshold`) and every class's probability (for two classes, [1 − p, p]).
    ///
    /// Throws when the model does not take pictures (its input must be height·width·3 values, by
    /// default 64×64×3 as the course's), or when the file is not an image that can be read.
    public func predictImage(atPath path: String, threshold: Double = 0.5) throws -> (
        label: Int, probabilities: [Double]
    ) {
        guard task.kind == .classification else {
            throw DNNError("a picture is classified by a classifier; this model is a \(task.kind.rawValue) model")
        }
        let shape = inputShape ?? [64, 64, 3]
        guard shape.count == 3, shape[2] == 3, layerSizes[0] == shape.reduce(1, *) else {
            throw DNNError(
                "the model takes \(layerSizes[0]) features, not a \(shape.map(String.init).joined(separator: "x")) "
                    + "picture (\(shape.reduce(1, *))); pictures need an image model")
        }
        #if canImport(CSTB)
            let picture = try RGBImage(contentsOf: path).resized(width: shape[1], height: shape[0])
            let (probabilities, labels) = try predict(picture.column, threshold: threshold)
            let classes =
                probabilities.rows == 1 ? [1 - probabilities[0, 0], probabilities[0, 0]] : probabilities.scalars
            return (Int(labels[0, 0]), classes)
        #else
            throw DNNError("reading pictures needs stb (libstb-dev), which this build does not have")
        #endif
    }
}
