/// The weights and bias of one layer l: W[l] (n[l]×n[l-1]) and b[l] (n[l]×1).
public struct LayerParameters: Equatable, Sendable {
    /// W[l], the weights (n[l]×n[l-1]).
    public var W: Matrix
    /// b[l], the bias (n[l]×1); 0 on a batch-normalised layer, whose β takes its place.
    public var b: Matrix
    /// A batch-normalised layer's γ, β and running averages; nil for a plain layer.
    public var normalization: NormalizationParameters?

    /// One layer's W[l] (n[l]×n[l-1]) and b[l] (n[l]×1), and its batch normalisation's numbers
    /// if it has one; shapes are not checked.
    public init(W: Matrix, b: Matrix, normalization: NormalizationParameters? = nil) {
        self.W = W
        self.b = b
        self.normalization = normalization
    }
}

/// The parameters of an L-layer network, layer 1 first: the course's `parameters` dictionary.
///
/// `parameters["W1"]` and `parameters["b2"]` answer the course's keys; `W(1)` and `b(2)` are the
/// typed accessors. Layers are numbered from 1, as in the course.
public struct Parameters: Equatable, Sendable {
    /// Layer l is at index l − 1.
    public var layers: [LayerParameters]

    /// The parameters of `layers`, layer 1 first; stops with a message when `layers` is empty.
    public init(layers: [LayerParameters]) {
        requireValid(!layers.isEmpty, "Parameters: a network needs at least one layer")
        self.layers = layers
    }

    /// L, the number of layers with parameters.
    public var layerCount: Int { layers.count }

    /// W[l], for l in 1...L.
    public func W(_ l: Int) -> Matrix { layer(l).W }

    /// b[l], for l in 1...L.
    public func b(_ l: Int) -> Matrix { layer(l).b }

    private func layer(_ l: Int) -> LayerParameters {
        requireValid(l >= 1 && l <= layers.count, "Parameters: no layer \(l); layers are 1...\(layers.count)")
        return layers[l - 1]
    }

    /// The course's keys: `"W1"`, `"b1"`, …, `"WL"`, `"bL"`; nil for any other key.
    public subscript(key: String) -> Matrix? {
        guard let (name, l) = parseCourseKey(key, names: ["W", "b"]), l >= 1, l <= layers.count else {
            return nil
        }
        return name == "W" ? layers[l - 1].W : layers[l - 1].b
    }
}

/// The gradients of one layer l: dW[l], db[l], and dA[l-1], the gradient with respect to the
/// layer's input (the course's `grads["dA" + str(l-1)]`).
public struct LayerGradients: Equatable, Sendable {
    /// dA[l-1], the gradient with respect to the layer's input A[l-1] (n[l-1]×m); nil if not kept.
    public var dAPrev: Matrix?
    /// dW[l], the gradient with respect to W[l] (n[l]×n[l-1]).
    public var dW: Matrix
    /// db[l], the gradient with respect to b[l] (n[l]×1).
    public var db: Matrix
    /// dγ[l] and dβ[l] on a batch-normalised layer (n[l]×1 each).
    public var dGamma, dBeta: Matrix?

    /// One layer's gradients: dA[l-1] (nil by default), dW[l] and db[l], and a batch-normalised
    /// layer's dγ and dβ; shapes are not checked.
    public init(dAPrev: Matrix? = nil, dW: Matrix, db: Matrix, dGamma: Matrix? = nil, dBeta: Matrix? = nil) {
        self.dAPrev = dAPrev
        self.dW = dW
        self.db = db
        self.dGamma = dGamma
        self.dBeta = dBeta
    }
}

/// The gradients of an L-layer network, layer 1 first: the course's `grads` dictionary.
///
/// Keys follow the latest course version: `"dW1"`, `"db1"`, …, and `"dA0"` … `"dA{L-1}"`, where
/// dA[l] is the gradient of the cost with respect to A[l] (so `"dA0"` is with respect to X).
public struct Gradients: Equatable, Sendable {
    /// Layer l is at index l − 1.
    public var layers: [LayerGradients]

    /// The gradients of `layers`, layer 1 first; stops with a message when `layers` is empty.
    public init(layers: [LayerGradients]) {
        requireValid(!layers.isEmpty, "Gradients: a network needs at least one layer")
        self.layers = layers
    }

    /// dW[l], for l in 1...L.
    public func dW(_ l: Int) -> Matrix { layer(l).dW }

    /// db[l], for l in 1...L.
    public func db(_ l: Int) -> Matrix { layer(l).db }

    /// dA[l], for l in 0...L−1 (the gradient with respect to layer l+1's input); nil if not kept.
    public func dA(_ l: Int) -> Matrix? { layer(l + 1).dAPrev }

    private func layer(_ l: Int) -> LayerGradients {
        requireValid(l >= 1 && l <= layers.count, "Gradients: no layer \(l); layers are 1...\(layers.count)")
        return layers[l - 1]
    }

    /// The course's keys `"dW1"`, `"db1"`, `"dA0"`, …; nil for any other key.
    public subscript(key: String) -> Matrix? {
        guard let (name, n) = parseCourseKey(key, names: ["dW", "db", "dA"]) else { return nil }
        let l = name == "dA" ? n + 1 : n
        guard l >= 1 && l <= layers.count else { return nil }
        switch name {
        case "dW": return layers[l - 1].dW
        case "db": return layers[l - 1].db
        default: return layers[l - 1].dAPrev
        }
    }
}

/// Splits a course key such as `"dW12"` into one of `names` and its layer number.
private func parseCourseKey(_ key: String, names: [String]) -> (String, Int)? {
    for name in names where key.hasPrefix(name) {
        let digits = key.dropFirst(name.count)
        if !digits.isEmpty, digits.allSatisfy({ ("0"..."9").contains($0) }), let n = Int(digits), n >= 0 {
            return (name, n)
        }
    }
    return nil
}
