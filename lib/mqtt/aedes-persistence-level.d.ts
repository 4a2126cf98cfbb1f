// aedes-persistence-level 9.x ships no types. Only what embedded-broker.ts uses.
declare module "aedes-persistence-level" {
  export interface AedesLevelPersistence {
    /** Closes the level database. The callback form never calls back under aedes 1.x. */
    destroy(): Promise<void>;
  }

  /** `db` is an abstract-level database, e.g. `new ClassicLevel(dir)` from classic-level. */
  export default function aedesPersistenceLevel(db: object): AedesLevelPersistence;
}
