/// The cross-entropy cost: J = −(1/m) · Σᵢ [ y⁽ⁱ⁾·log(a⁽ⁱ⁾) + (1 − y⁽ⁱ⁾)·log(1 − a⁽ⁱ⁾) ], the
/// course's `compute_cost`; with `head: .softmax`, J = −(1/m)·Σᵢ log AL[y⁽ⁱ⁾, i]; with
/// `.squaredError`, J = (1/(2m))·Σᵢ Σₖ (AL[k,i] − Y[k,i])²; with `.sigmoid` over L units (labels),
/// the cross-entropy summed over them.
///
/// Shapes: AL (the outputs) is units×m; Y is 1×m class indices for softmax, else AL's shape (the
/// course's 1×m labels, k×m targets, L×m 0/1 labels). The result is a plain number, as the
/// course squeezes it.
public func computeCost(_ AL: Matrix, _ Y: Matrix, head: OutputHead = .sigmoid) -> Double {
    if head.function.targetRows(units: AL.rows) == AL.rows {
        requireSameShape(AL, Y, function: "computeCost")
    } else {
        requireValid(
            Y.rows == 1 && Y.cols == AL.cols,
            "computeCost: labels of shape \(Y.shapeDescription) do not match AL \(AL.shapeDescription)")
    }
    return head.function.cost(AL, Y)
}
