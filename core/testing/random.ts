// The generator itself is product code (core/util/seeded-random.ts); this path stays only for the tests in folders
// that still import it (core/schema, core/store, core/ingest, core/service) until they point at core/util.
export { gaussian, seededRandom } from '../util/seeded-random';
