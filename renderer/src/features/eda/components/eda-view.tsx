import type { EdaReport } from '@contract/eda-types';
import { useState } from 'react';
import { CsvFileInput } from '../../../components/csv-file-input';
import { ErrorBanner } from '../../../components/error-banner';
import { useEdaReport } from '../api/use-eda-report';
import '../eda.css';
import { ClinicalThresholds } from './sections/clinical-thresholds';
import { Correlation } from './sections/correlation';
import { Distributions } from './sections/distributions';
import { FeatureVsOutcome } from './sections/feature-vs-outcome';
import { KeyFindings } from './sections/key-findings';
import { MissingData } from './sections/missing-data';
import { Outliers } from './sections/outliers';
import { Overview } from './sections/overview';
import { SubgroupRates } from './sections/subgroup-rates';

/** The nine EDA sections, of the training data or of a CSV the admin loads. */
export function EdaView() {
  const { shown, fromFile, busy, error, analyseFile, backToTraining } = useEdaReport();

  return (
    <div className="stack">
      <div className="heading-row">
        <h1>Exploratory data analysis</h1>
        {shown && (
          <p className="muted" role="status">
            Showing: {shown.source === 'training' ? 'the training data' : shown.name} ({shown.report.rowCount} rows
            {shown.rejectedRows > 0 ? `, ${shown.rejectedRows} rejected rows left out` : ''})
          </p>
        )}
      </div>
      <div className="panel row-actions">
        <CsvFileInput label="Analyse another CSV (batch format)" disabled={busy} onFile={analyseFile} />
        {fromFile && (
          <button type="button" onClick={backToTraining}>
            Back to the training data
          </button>
        )}
        {busy && <span role="status">Analysing …</span>}
      </div>
      <ErrorBanner error={error} />
      {shown && <EdaSections report={shown.report} />}
    </div>
  );
}

/** One component per section, in core/eda's order; sections 3 and 4 share the picked feature. */
function EdaSections({ report }: { report: EdaReport }) {
  const features = report.distributions.features.map((f) => f.feature);
  const [feature, setFeature] = useState(features[1] ?? features[0]);

  return (
    <>
      <Overview section={report.overview} />
      <MissingData section={report.missingData} />
      <Distributions section={report.distributions} feature={feature} onFeatureChange={setFeature} />
      <FeatureVsOutcome section={report.featureVsOutcome} feature={feature} />
      <Correlation section={report.correlation} />
      <ClinicalThresholds section={report.clinicalThresholds} hasOutcome={report.hasOutcome} />
      <SubgroupRates section={report.subgroups} hasOutcome={report.hasOutcome} />
      <Outliers section={report.outliers} />
      <KeyFindings findings={report.keyFindings} />
    </>
  );
}
