/**
 * The advisory locks the job database uses, as (class, id) pairs: the class below, the id 0 or a
 * hashtext() of the key. The classes are arbitrary constants, chosen apart from 0 so that another
 * application's single-key locks in the same database cannot collide with them.
 */
export const LOCKS = {
  /** Schema migrations, one replica at a time. */
  migrate: 7_476_001,
  /** The spend check and the intent it allows. */
  spend: 7_476_002,
  /** One job's row while a patch is merged into it. */
  job: 7_476_003,
  /** One owner's create slots. */
  slots: 7_476_004,
  /** One job's download, held for the whole download. */
  download: 7_476_005,
} as const;
