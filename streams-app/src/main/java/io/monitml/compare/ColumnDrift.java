package io.monitml.compare;

import io.monitml.avro.FeatureKind;

/**
 * How one column of the current data set compares with the reference.
 *
 * @param test      ks (numeric) or chi2 (categorical)
 * @param statistic KS D, or the chi-square statistic
 * @param drifted   p-value below the corrected threshold, or PSI at or above the act threshold
 */
public record ColumnDrift(String name, FeatureKind kind, long referenceCount, long currentCount, long referenceMissing,
                          long currentMissing, String test, double statistic, double pValue, double psi, boolean drifted) {
}
