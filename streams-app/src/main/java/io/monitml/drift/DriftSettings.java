package io.monitml.drift;

import io.monitml.stats.Correction;

/**
 * How drift is decided at window close.
 *
 * @param alpha        family-wise (Bonferroni) or false-discovery (FDR) rate across a unit's features
 * @param psiWatch     PSI at or above which a feature that did not drift is watched (status WATCH)
 * @param psiAct       PSI at or above which a feature is flagged
 * @param minRows      windows with fewer rows report INSUFFICIENT_DATA instead of noisy p-values
 */
public record DriftSettings(Correction correction, double alpha, double psiWatch, double psiAct, long minRows) {
}
