import Foundation

extension Dataset {
    /// The course's planar "flower" data set (`load_planar_dataset`), built in so that the tool
    /// runs with no file at all: 400 points in the plane, 200 per class, in two sets of petals.
    ///
    /// Seed 1; for class j = 0, then 1: t = linspace(3.12·j, 3.12·(j+1), 200) + 0.2·randn(200),
    /// r = 4·sin(4t) + 0.2·randn(200); point i is (r·sin t, r·cos t) with label j.
    /// Shapes: X is 2×400 (class 0 first), Y is 1×400.
    public static func flower() -> Dataset {
        let perClass = 200, m = 2 * perClass, a = 4.0
        var rng = NumPyRandom(seed: 1)
        var features = [Double](repeating: 0, count: 2 * m)
        var labels = [Double](repeating: 0, count: m)
        for j in 0..<2 {
            let start = 3.12 * Double(j), stop = 3.12 * Double(j + 1)
            let t = zip(linspace(start, stop, perClass), (0..<perClass).map { _ in rng.normal() })
                .map { $0 + $1 * 0.2 }
            let r = t.map { a * sin(4 * $0) + rng.normal() * 0.2 }
            for i in 0..<perClass {
                let column = j * perClass + i
                features[column] = r[i] * sin(t[i])
                features[m + column] = r[i] * cos(t[i])
                labels[column] = Double(j)
            }
        }
        return try! Dataset(
            X: Matrix(rows: 2, cols: m, scalars: features), Y: Matrix(rows: 1, cols: m, scalars: labels),
            classNames: ["red", "blue"], source: "flower")
    }
}

/// numpy's `linspace(start, stop, count)`: start + i·step with step = (stop − start)/(count − 1),
/// and the last point exactly `stop`.
func linspace(_ start: Double, _ stop: Double, _ count: Int) -> [Double] {
    let step = (stop - start) / Double(count - 1)
    return (0..<count).map { $0 == count - 1 ? stop : Double($0) * step + start }
}
