import type { PatientInput } from '@contract/outputs';
import './data-table.css';
import './inputs-table.css';

const LABEL: Record<string, string> = {
  Pregnancies: 'Pregnancies',
  Glucose: 'Glucose',
  BloodPressure: 'Diastolic blood pressure',
  SkinThickness: 'Triceps skinfold',
  Insulin: 'Insulin (2-hour)',
  BMI: 'BMI',
  DiabetesPedigreeFunction: 'Diabetes pedigree function',
  Age: 'Age',
  BMI_Category: 'BMI category',
  Age_Group: 'Age group',
  Glucose_BMI_Interaction: 'Glucose × BMI',
};

export function featureLabel(feature: string): string {
  return LABEL[feature] ?? feature;
}

/** The inputs with their clinical reading; imputed values say so in words. */
export function InputsTable({ inputs }: { inputs: PatientInput[] }) {
  return (
    <section className="panel" aria-labelledby="inputs-title">
      <h2 id="inputs-title">Inputs</h2>
      <table className="data-table wrap-cells">
        <thead>
          <tr>
            <th scope="col">Measurement</th>
            <th scope="col" className="num">
              Value
            </th>
            <th scope="col">Clinical context</th>
          </tr>
        </thead>
        <tbody>
          {inputs.map((input) => (
            <tr key={input.feature}>
              <th scope="row">{featureLabel(input.feature)}</th>
              <td className="num">
                {input.imputed ? (
                  <span className="imputed">
                    not recorded — imputed
                    {input.usedValue === null ? '' : ` ${input.usedValue.toFixed(1)} ${input.unit}`}
                  </span>
                ) : input.notMeasured ? (
                  <span className="imputed">not measured (recorded as {input.value})</span>
                ) : (
                  <>
                    {input.value} {input.unit}
                  </>
                )}
              </td>
              <td>
                {input.flag ? (
                  <span className={`flag flag-${input.flag.level}`}>{input.flag.text}</span>
                ) : input.imputed ? (
                  <span className="muted">Imputed (training median)</span>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
