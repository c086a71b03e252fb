/**
 * Terms that signal each content safety label (AssemblyAI's label names). Each term has a weight —
 * how strongly it alone indicates the label (0..1) — and a severity — how severe the content it
 * names is (0..1). Unambiguous terms ("cocaine") weigh much; words with innocent senses ("shoot" a
 * film, "bet" in "I bet") weigh little, so they pass a usual threshold only with other evidence in
 * the same passage.
 *
 * Terms are matched by Porter stem, so "wildfire" also finds "wildfires"; a term written `=word`
 * matches only that exact form, for words whose stem is shared with an innocent one ("smoking" a
 * cigarette vs. wildfire "smoke"). A term may be a phrase of several words.
 *
 * Profanity, slurs and vulgar sexual words are not here: the `obscenity` package finds them,
 * including obfuscated spellings (see profanity.ts).
 */

export const SAFETY_LABELS = [
  'accidents',
  'alcohol',
  'company_financials',
  'crime_violence',
  'disasters',
  'drugs',
  'gambling',
  'hate_speech',
  'health_issues',
  'marijuana',
  'nsfw',
  'pornography',
  'profanity',
  'sensitive_social_issues',
  'terrorism',
  'tobacco',
  'weapons',
] as const;
export type SafetyLabelName = (typeof SAFETY_LABELS)[number];

export interface LexiconTerm {
  /** Words of the term, lowercase; `=` in front of a word asks for that exact form. */
  words: string[];
  weight: number;
  severity: number;
}

/** Terms sharing a weight and severity, written as a comma-separated list. */
function band(weight: number, severity: number, list: string): LexiconTerm[] {
  return list
    .split(',')
    .map((term) => term.trim())
    .filter(Boolean)
    .map((term) => ({ words: term.toLowerCase().split(/\s+/), weight, severity }));
}

export const LEXICON: Record<SafetyLabelName, LexiconTerm[]> = {
  accidents: [
    ...band(0.9, 0.9, 'plane crash, fatal crash, killed in a crash, train derailment'),
    ...band(0.85, 0.7, 'car crash, car accident, hit and run, pileup, head-on collision, seriously injured'),
    ...band(0.7, 0.5, 'accident, collision, collided, derailed, overturned, drowned, drowning'),
    ...band(0.5, 0.5, 'crash, wreck, ambulance, paramedics, injured, injuries, fell from, explosion'),
    ...band(0.3, 0.4, 'emergency room, rescued, collapsed, slipped'),
  ],
  alcohol: [
    ...band(0.9, 0.7, 'drunk driving, drink driving, alcohol poisoning, binge drinking'),
    ...band(
      0.85,
      0.4,
      'alcohol, alcoholic, alcoholism, vodka, whiskey, whisky, tequila, liquor, booze, hangover',
    ),
    ...band(0.75, 0.4, 'drunk, intoxicated, beer, beers, cocktail, cocktails, bourbon, gin'),
    ...band(0.6, 0.3, 'wine, champagne, brewery, bartender, pub, rum, =drinking, tipsy'),
    ...band(0.3, 0.2, 'bar, =shots, =drinks'),
  ],
  company_financials: [
    ...band(
      0.85,
      0.3,
      'earnings call, quarterly earnings, earnings per share, fiscal year, net income, operating margin',
    ),
    ...band(
      0.7,
      0.3,
      'revenue, =earnings, profit margin, shareholders, dividend, guidance, ebitda, fiscal quarter',
    ),
    ...band(0.45, 0.2, 'profit, profits, stock price, investors, balance sheet, cash flow, year over year'),
  ],
  crime_violence: [
    ...band(0.9, 0.9, 'murder, murdered, homicide, shot dead, stabbed to death, manslaughter, mass shooting'),
    ...band(
      0.8,
      0.7,
      'stabbed, stabbing, gunman, kidnapped, kidnapping, abducted, armed robbery, domestic violence, carjacking, strangled',
    ),
    ...band(
      0.7,
      0.5,
      'robbery, robber, robbers, =robbed, assault, assaulted, hostage, arson, burglary, =mugged, =mugging, gang violence',
    ),
    ...band(0.55, 0.5, 'violence, violent, crime, criminal, theft, convicted, beaten, beat up'),
    ...band(
      0.4,
      0.4,
      'killed, killing, attacked, arrested, suspect, prison, =shooting, =shootings, stolen, fraud',
    ),
    ...band(0.25, 0.3, 'police, fight, jail, victim'),
  ],
  disasters: [
    ...band(
      0.9,
      0.8,
      'natural disaster, death toll, tsunami, earthquake, hurricane, tornado, cyclone, typhoon, landslide',
    ),
    ...band(
      0.85,
      0.6,
      'wildfire, forest fire, bushfire, flood, flooding, floods, famine, avalanche, mudslide',
    ),
    ...band(
      0.65,
      0.5,
      'disaster, evacuation, evacuated, evacuate, drought, eruption, heat wave, heatwave, blizzard',
    ),
    ...band(0.45, 0.5, 'blaze, storm, casualties, destroyed, volcano, =fires'),
    ...band(0.25, 0.4, 'out of control, =smoke, hazardous, emergency, firefighters, burning'),
  ],
  drugs: [
    ...band(
      0.9,
      0.8,
      'cocaine, heroin, methamphetamine, fentanyl, crack cocaine, drug overdose, drug dealer, drug trafficking',
    ),
    ...band(0.8, 0.7, 'meth, opioid, opioids, narcotics, overdose, overdosed, mdma, lsd, ketamine, cartel'),
    ...band(0.55, 0.5, 'addict, addiction, ecstasy, psychedelic, rehab, trafficking'),
    ...band(0.4, 0.4, 'drug, drugs, =high on, needle'),
  ],
  gambling: [
    ...band(
      0.9,
      0.4,
      'gambling, gambler, casino, sports betting, slot machine, slot machines, roulette, sportsbook',
    ),
    ...band(0.75, 0.3, '=betting, poker, blackjack, bookmaker, wager, wagered, baccarat'),
    ...band(0.5, 0.2, 'lottery, jackpot, =bets, bet on'),
    ...band(0.25, 0.2, '=odds, =bet'),
  ],
  hate_speech: [
    ...band(
      0.9,
      0.9,
      'white supremacist, white supremacy, ethnic cleansing, neo-nazi, go back to your country, subhuman',
    ),
    ...band(
      0.7,
      0.7,
      'hate crime, hate speech, racial slur, antisemitic, antisemitism, nazi, nazis, bigot, bigots',
    ),
    ...band(0.55, 0.5, 'racist, racism, xenophobic, xenophobia, homophobic, homophobia, bigotry'),
  ],
  health_issues: [
    ...band(
      0.85,
      0.7,
      'heart attack, chemotherapy, cancer, tumor, tumour, dementia, alzheimer, pneumonia, hiv, intensive care',
    ),
    ...band(
      0.75,
      0.5,
      'diabetes, asthma, covid, obesity, disease, =illness, diagnosed, breathing problems, blood pressure, mental health',
    ),
    ...band(
      0.55,
      0.4,
      'pandemic, infection, virus, symptoms, diagnosis, surgery, =depression, chronic, flu, lungs, =patients',
    ),
    ...band(
      0.35,
      0.3,
      'hospital, hospitals, medication, prescription, doctor, sick, pain, vaccine, stroke, anxiety',
    ),
  ],
  marijuana: [
    ...band(0.9, 0.4, 'marijuana, cannabis, thc, dispensary, bong'),
    ...band(0.5, 0.3, 'edibles, =stoned, hemp, =weed'),
  ],
  nsfw: [
    ...band(0.85, 0.7, 'erotic, foreplay, horny, strip club, sexual intercourse'),
    ...band(0.65, 0.5, 'nude, naked, intercourse, aroused, one night stand, sexually'),
    ...band(0.5, 0.4, 'sexual, sexy, condom, lingerie'),
  ],
  pornography: [
    ...band(0.95, 0.8, 'pornography, pornographic, porno, sex tape, adult film, xxx'),
    ...band(0.6, 0.6, 'onlyfans, explicit video, explicit content'),
  ],
  profanity: [
    // The milder swear words the obscenity dataset leaves out.
    ...band(0.85, 0.4, 'goddamn, goddammit, dammit'),
    ...band(0.7, 0.2, 'damn, crap, crappy, screw you, bloody hell'),
  ],
  sensitive_social_issues: [
    ...band(
      0.8,
      0.5,
      '=abortion, gun control, death penalty, capital punishment, police brutality, same-sex marriage',
    ),
    ...band(
      0.6,
      0.4,
      'immigration, illegal immigrants, refugees, discrimination, affirmative action, transgender, euthanasia',
    ),
    ...band(0.35, 0.3, 'protest, protesters, inequality, poverty, homelessness'),
  ],
  terrorism: [
    ...band(0.95, 0.95, 'terror attack, terrorist attack, suicide bomber, suicide bombing, car bomb'),
    ...band(0.9, 0.85, 'terrorist, terrorists, terrorism, isis, al qaeda, al-qaeda, jihadist'),
    ...band(
      0.7,
      0.8,
      'bombing, extremist, extremists, radicalized, radicalised, insurgent, insurgents, massacre',
    ),
    ...band(0.4, 0.7, 'explosives, hostages, militants, taliban'),
  ],
  tobacco: [
    ...band(0.9, 0.4, 'tobacco, cigarette, cigarettes, nicotine, e-cigarette, chewing tobacco, vaping, vape'),
    ...band(0.75, 0.4, 'cigar, cigars, =smoker, =smokers, =smoking, lung cancer'),
  ],
  weapons: [
    ...band(
      0.9,
      0.6,
      'firearm, firearms, handgun, handguns, assault rifle, assault weapon, grenade, gunfire',
    ),
    ...band(
      0.75,
      0.5,
      'rifle, rifles, pistol, pistols, shotgun, ammunition, sniper, semi-automatic, machine gun',
    ),
    ...band(0.6, 0.5, 'gun, guns, weapon, weapons, bullets, explosive, missile, missiles'),
    ...band(0.35, 0.4, 'knife, machete, bullet, bomb, =shoot, =shot'),
  ],
};

/**
 * Words that make violent, accidental or medical content more severe when they appear in the same
 * passage: deaths, large numbers of victims, grave outcomes.
 */
export const SEVERITY_RAISERS = band(
  0,
  0.15,
  'dead, deaths, died, killed, fatal, fatalities, hundreds, thousands, massive, devastating, catastrophic, critical condition, life-threatening',
);

/** Words that make it less severe: nobody hurt, minor damage. */
export const SEVERITY_LOWERERS = band(
  0,
  -0.15,
  'minor, no one was hurt, nobody was hurt, no injuries, slightly, mild',
);

/** Labels whose severity the raisers and lowerers adjust. */
export const GRADED_LABELS: ReadonlySet<SafetyLabelName> = new Set([
  'accidents',
  'crime_violence',
  'disasters',
  'health_issues',
  'terrorism',
  'weapons',
]);
