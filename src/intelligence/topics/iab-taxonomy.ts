/**
 * A subset of the IAB Content Taxonomy (v2/v3, public, iabtechlab.com) written the way AssemblyAI
 * prints it (`Tier1>Tier2>Tier3`, spaces dropped, " and " as "And", " & " as "&"), each label with
 * words and phrases that signal it in speech. Keywords are matched on their Porter stems; a
 * keyword written `=word` matches that exact word only, for words whose stem would collide with a
 * common unrelated word ("news" stems to "new", "universe" and "university" to "univers").
 */
export interface TopicDefinition {
  label: string;
  keywords: readonly string[];
}

const t = (label: string, keywords: string): TopicDefinition => ({
  label,
  keywords: keywords
    .split(',')
    .map((k) => k.trim())
    .filter((k) => k !== ''),
});

export const IAB_TOPICS: readonly TopicDefinition[] = [
  // Automotive
  t(
    'Automotive',
    'car, cars, vehicle, automobile, driving, driver, dealership, horsepower, sedan, engine, mileage, test drive',
  ),
  t(
    'Automotive>AutoType>GreenVehicles',
    'electric vehicle, electric car, ev, tesla, charging station, battery range, plug-in hybrid, charger, kilowatt hour',
  ),
  t(
    'Automotive>AutoBodyStyles>Truck',
    'pickup truck, truck, trucks, towing capacity, payload, semi truck, f-150',
  ),
  t(
    'Automotive>AutoRepair',
    'mechanic, oil change, brake pads, transmission, tire rotation, repair shop, check engine light, tune up',
  ),
  t('Automotive>Motorcycles', 'motorcycle, motorbike, harley, scooter, helmet'),
  // Books and literature
  t(
    'BooksAndLiterature',
    'book, books, novel, author, reading, chapter, literature, bestseller, publisher, paperback, library',
  ),
  t('BooksAndLiterature>Poetry', 'poem, poetry, poet, verse, stanza, rhyme, sonnet'),
  t(
    'BooksAndLiterature>Fiction',
    'fiction, novelist, protagonist, plot, character arc, fantasy novel, mystery novel',
  ),
  // Business and finance
  t(
    'BusinessAndFinance>Business',
    'business, company, revenue, profit, customers, quarter, strategy, management, stakeholders, growth, enterprise, operations',
  ),
  t(
    'BusinessAndFinance>Business>Startups',
    'startup, founder, venture capital, seed round, series a, investors, pitch deck, incubator, unicorn',
  ),
  t(
    'BusinessAndFinance>Business>Sales',
    'sales, sales team, leads, pipeline, quota, prospects, deal, closing, sales rep, upsell',
  ),
  t(
    'BusinessAndFinance>Business>MarketingAndAdvertising',
    'marketing, campaign, brand, branding, advertising, ads, conversion rate, social media marketing, seo, audience',
  ),
  t(
    'BusinessAndFinance>Business>HumanResources',
    'human resources, hiring, recruiting, onboarding, payroll, employee benefits, performance review, hr',
  ),
  t(
    'BusinessAndFinance>Business>BusinessBanking&Finance',
    'cash flow, invoice, accounts receivable, accounts payable, balance sheet, loan, line of credit, budget, cfo',
  ),
  t(
    'BusinessAndFinance>Business>GreenSolutions',
    'sustainability, renewable energy, carbon emissions, net zero, clean energy, solar panels, recycling, carbon footprint',
  ),
  t(
    'BusinessAndFinance>Economy',
    'economy, economic, inflation, recession, gdp, interest rates, federal reserve, unemployment, central bank, economists, consumer prices',
  ),
  t(
    'BusinessAndFinance>Economy>Commodities',
    'oil prices, crude oil, gold price, commodities, natural gas, wheat, copper, barrel',
  ),
  t(
    'BusinessAndFinance>Economy>JobMarket',
    'job market, unemployment rate, layoffs, job openings, hiring freeze, labor market, jobs report',
  ),
  t(
    'BusinessAndFinance>Industries>RetailIndustry',
    'retail, retailer, store, stores, shoppers, e-commerce, inventory, supply chain',
  ),
  t(
    'BusinessAndFinance>Industries>AutomotiveIndustry',
    'automaker, car manufacturer, auto industry, assembly line, car sales',
  ),
  t(
    'BusinessAndFinance>Industries>PowerAndEnergyIndustry',
    'energy sector, oil company, utilities, power plant, pipeline, drilling, electricity grid',
  ),
  // Careers
  t('Careers', 'career, job, resume, interview, promotion, salary, workplace, employer, profession'),
  t(
    'Careers>JobSearch',
    'job search, job hunting, job application, cover letter, recruiter, job offer, linkedin',
  ),
  t(
    'Careers>RemoteWorking',
    'remote work, working from home, work from home, hybrid work, telecommute, home office',
  ),
  // Education
  t('Education', 'education, school, teacher, students, classroom, curriculum, learning, homework, exam'),
  t(
    'Education>CollegeEducation',
    'college, =university, campus, tuition, undergraduate, degree, professor, semester, student loans, graduate school',
  ),
  t('Education>PrimaryEducation', 'elementary school, kindergarten, first grade, primary school, recess'),
  t(
    'Education>OnlineEducation',
    'online course, e-learning, webinar, mooc, online classes, distance learning',
  ),
  // Events and attractions
  t('EventsAndAttractions', 'festival, concert, exhibition, event, tickets, venue, parade, state fair'),
  t(
    'EventsAndAttractions>AmusementAndThemeParks',
    'theme park, amusement park, roller coaster, disneyland, disney world, rides',
  ),
  t('EventsAndAttractions>Museums&Galleries', 'museum, gallery, exhibit, curator, artifacts'),
  // Family and relationships
  t('FamilyAndRelationships', 'family, relationship, marriage, spouse, husband, wife, partner, divorce'),
  t(
    'FamilyAndRelationships>Parenting',
    'parenting, parents, toddler, baby, kids, children, daycare, bedtime, newborn',
  ),
  t(
    'FamilyAndRelationships>Dating',
    'dating, date night, boyfriend, girlfriend, dating app, first date, romance',
  ),
  t(
    'FamilyAndRelationships>MarriageAndCivilUnions',
    'wedding, bride, groom, engagement ring, honeymoon, reception, bridesmaid',
  ),
  // Fine art
  t('FineArt', 'art, artist, painting, sculpture, canvas, masterpiece, gallery, exhibition, portrait'),
  t(
    'Hobbies&Interests>ArtsAndCrafts>Photography',
    'photography, photographer, camera lens, portrait, exposure, aperture, shutter speed',
  ),
  // Food and drink
  t(
    'Food&Drink',
    'food, recipe, cooking, restaurant, chef, meal, dinner, lunch, breakfast, delicious, kitchen, menu',
  ),
  t(
    'Food&Drink>AlcoholicBeverages',
    'wine, beer, whiskey, cocktail, vodka, brewery, winery, bartender, liquor',
  ),
  t('Food&Drink>VegetarianDiets', 'vegan, vegetarian, plant-based, meat substitute, tofu'),
  t('Food&Drink>BarbecuesAndGrilling', 'barbecue, grill, grilling, bbq, smoker, brisket'),
  t('Food&Drink>DessertsAndBaking', 'baking, dessert, cake, cookies, pastry, bread, oven, flour'),
  // Healthy living
  t('HealthyLiving', 'healthy, =wellness, lifestyle, sleep, stress, hydration, self-care'),
  t(
    'HealthyLiving>FitnessAndExercise',
    'fitness, exercise, workout, gym, running, cardio, strength training, yoga, personal trainer, push-ups',
  ),
  t(
    'HealthyLiving>Nutrition',
    'nutrition, diet, calories, protein, vitamins, carbohydrates, nutrients, sugar intake, fiber',
  ),
  t(
    'HealthyLiving>WeightLoss',
    'weight loss, lose weight, dieting, obesity, body fat, pounds, calorie deficit',
  ),
  // Hobbies and interests
  t('Hobbies&Interests', 'hobby, hobbies, collecting, crafts, pastime'),
  t('Hobbies&Interests>ArtsAndCrafts', 'knitting, sewing, crochet, pottery, scrapbooking, woodworking, diy'),
  t('Hobbies&Interests>GenealogyAndAncestry', 'genealogy, ancestry, family tree, ancestors, dna test'),
  t('Hobbies&Interests>GamesAndPuzzles', 'board game, chess, puzzle, crossword, card game, monopoly'),
  // Home and garden
  t('Home&Garden', 'home, house, furniture, renovation, interior design, decor, remodel, living room'),
  t(
    'Home&Garden>Gardening',
    'garden, gardening, plants, seeds, soil, flowers, vegetables, compost, lawn, weeds',
  ),
  t(
    'Home&Garden>HomeImprovement',
    'home improvement, renovation, contractor, plumbing, drywall, roof, flooring, paint, kitchen remodel',
  ),
  t(
    'Home&Garden>IndoorEnvironmentalQuality',
    'air purifier, indoor air, ventilation, humidity, mold, air filter, air quality',
  ),
  // Medical health
  t(
    'MedicalHealth',
    'doctor, hospital, patients, medical, clinic, nurse, treatment, diagnosis, health care, physician',
  ),
  t(
    'MedicalHealth>DiseasesAndConditions',
    'disease, illness, symptoms, chronic, infection, disorder, medical condition',
  ),
  t(
    'MedicalHealth>DiseasesAndConditions>Cancer',
    'cancer, tumor, chemotherapy, oncology, oncologist, radiation therapy, malignant, breast cancer',
  ),
  t(
    'MedicalHealth>DiseasesAndConditions>HeartAndCardiovascularDiseases',
    'heart disease, heart attack, cardiovascular, blood pressure, cholesterol, cardiologist, stroke',
  ),
  t(
    'MedicalHealth>DiseasesAndConditions>LungAndRespiratoryHealth',
    'lungs, respiratory, asthma, breathing, lung, copd, inhaler, bronchitis',
  ),
  t('MedicalHealth>DiseasesAndConditions>Diabetes', 'diabetes, insulin, blood sugar, glucose, diabetic'),
  t(
    'MedicalHealth>DiseasesAndConditions>InfectiousDiseases',
    'virus, pandemic, covid, vaccine, vaccination, outbreak, flu, epidemic, contagious, coronavirus',
  ),
  t(
    'MedicalHealth>DiseasesAndConditions>MentalHealth',
    'mental health, anxiety, depression, therapist, therapy, counseling, psychiatrist, burnout, trauma',
  ),
  t(
    'MedicalHealth>PharmaceuticalDrugs',
    'medication, prescription, drug, pharmacy, pharmaceutical, dosage, clinical trial, fda',
  ),
  // Movies, music, television, pop culture
  t(
    'Movies',
    'movie, movies, film, films, director, actor, actress, cinema, box office, screenplay, trailer, oscar, hollywood',
  ),
  t(
    'MusicAndAudio',
    'music, song, songs, album, band, singer, concert, guitar, lyrics, musician, playlist, tour',
  ),
  t('MusicAndAudio>Podcasts', 'podcast, episode, listeners, host, subscribe'),
  t(
    'MusicAndAudio>ClassicalMusic',
    'classical music, orchestra, symphony, composer, mozart, beethoven, piano concerto',
  ),
  t('Television', 'television, tv show, series, episode, season finale, netflix, streaming, sitcom, network'),
  t('PopCulture', 'celebrity, celebrities, red carpet, gossip, famous, fans, influencer, viral'),
  // News and politics
  t('NewsAndPolitics', '=news, journalist, reporter, headlines, press conference, media coverage'),
  t(
    'NewsAndPolitics>Politics',
    'politics, political, government, congress, senate, president, democrats, republicans, policy, legislation, lawmakers, parliament',
  ),
  t(
    'NewsAndPolitics>Politics>Elections',
    'election, elections, vote, voters, ballot, campaign, candidate, polls, primary, electoral',
  ),
  t(
    'NewsAndPolitics>InternationalNews',
    'international, foreign policy, united nations, diplomats, treaty, sanctions, embassy, nato',
  ),
  t(
    'NewsAndPolitics>Crime',
    'crime, police, arrested, murder, suspect, investigation, robbery, court, prosecutor, sentenced, jury',
  ),
  t(
    'NewsAndPolitics>Disasters',
    'disaster, wildfire, wildfires, earthquake, hurricane, flood, flooding, tornado, evacuation, emergency, tsunami',
  ),
  t(
    'NewsAndPolitics>Weather',
    'weather, forecast, temperature, rain, snow, storm, heat wave, humidity, degrees, meteorologist, smoke, haze, meteorology, jet stream, weather systems, rainfall',
  ),
  t(
    'NewsAndPolitics>Law',
    'law, lawyer, attorney, lawsuit, supreme court, judge, legal, ruling, constitution',
  ),
  // Personal finance
  t(
    'PersonalFinance',
    'personal finance, savings, budgeting, credit score, debt, retirement, mortgage, credit card',
  ),
  t(
    'PersonalFinance>FinancialPlanning',
    'financial planning, financial advisor, retirement plan, 401k, pension, estate planning',
  ),
  t(
    'PersonalFinance>PersonalInvesting',
    'stocks, stock market, shares, investing, investors, portfolio, dividends, index fund, bonds, etf',
  ),
  t(
    'PersonalFinance>PersonalInvesting>Cryptocurrency',
    'bitcoin, cryptocurrency, crypto, blockchain, ethereum, token, wallet, mining',
  ),
  t('PersonalFinance>PersonalTaxes', 'taxes, tax return, irs, deduction, tax refund, income tax, filing'),
  t('PersonalFinance>Insurance', 'insurance, premium, deductible, coverage, policyholder, claim, insurer'),
  // Pets
  t('Pets', 'pet, pets, veterinarian, vet, adoption, animal shelter'),
  t('Pets>Dogs', 'dog, dogs, puppy, leash, bark, canine, dog food'),
  t('Pets>Cats', 'cat, cats, kitten, litter box, feline'),
  // Real estate
  t(
    'RealEstate',
    'real estate, housing market, realtor, property, listing, home prices, mortgage rates, rent, landlord, tenant, apartment',
  ),
  // Religion and spirituality
  t(
    'Religion&Spirituality',
    'religion, church, god, prayer, faith, bible, worship, spiritual, mosque, temple, pastor, meditation',
  ),
  // Science
  t('Science', 'science, scientists, research, researchers, experiment, study, laboratory, hypothesis, data'),
  t(
    'Science>Space',
    'space, nasa, rocket, launch, orbit, astronaut, satellite, mars, moon, spacecraft, =universe, galaxy, telescope, spacex, planet, lunar',
  ),
  t(
    'Science>Environment',
    'environment, climate change, global warming, pollution, emissions, carbon dioxide, ecosystem, biodiversity, deforestation',
  ),
  t(
    'Science>BiologicalSciences',
    'biology, cells, genes, dna, evolution, species, organisms, protein, genome',
  ),
  t('Science>Chemistry', 'chemistry, molecules, chemical reaction, atoms, compound, periodic table'),
  t(
    'Science>Physics',
    'physics, quantum, particles, gravity, energy, relativity, electrons, particle accelerator',
  ),
  t('Science>Geology', 'geology, rocks, volcano, tectonic plates, minerals, fossils, sediment'),
  // Shopping
  t(
    'Shopping',
    'shopping, discount, sale, coupon, purchase, checkout, deals, black friday, amazon, order, shipping, refund',
  ),
  // Sports
  t(
    'Sports',
    'sports, league, championship, tournament, coach, athlete, athletes, stadium, playoffs, referee, olympics',
  ),
  t(
    'Sports>Soccer',
    'soccer, football club, goalkeeper, scored a goal, striker, premier league, world cup, penalty kick, midfielder, fifa, champions league, messi',
  ),
  t(
    'Sports>AmericanFootball',
    'nfl, quarterback, touchdown, super bowl, end zone, linebacker, field goal, wide receiver',
  ),
  t('Sports>Basketball', 'basketball, nba, dunk, three-pointer, point guard, rebounds, free throw, court'),
  t(
    'Sports>Baseball',
    'baseball, mlb, pitcher, home run, =inning, =innings, batter, world series, strikeout',
  ),
  t('Sports>Tennis', 'tennis, wimbledon, grand slam, racket, us open, match point'),
  t('Sports>Golf', 'golf, golfer, pga, hole in one, fairway, putt, birdie, masters'),
  t('Sports>IceHockey', 'hockey, nhl, puck, goalie, stanley cup, rink'),
  t('Sports>Cycling', 'cycling, cyclist, bike, bicycle, tour de france, peloton'),
  t('Sports>RunningAndJogging', 'marathon, runner, running, jogging, half marathon, sprint, 5k'),
  t('Sports>MartialArts', 'boxing, mma, ufc, karate, fighter, knockout, wrestling'),
  t('Sports>AutoRacing', 'formula one, f1, nascar, race car, grand prix, pit stop, racing'),
  // Style and fashion
  t(
    'Style&Fashion',
    'fashion, clothing, outfit, designer, runway, dress, style, wardrobe, jeans, shoes, jewelry, necklace, earrings',
  ),
  t('Style&Fashion>Beauty', 'makeup, skincare, cosmetics, lipstick, beauty, moisturizer, hair salon'),
  // Technology and computing
  t('Technology&Computing', 'technology, tech, digital, innovation, device, devices, platform'),
  t(
    'Technology&Computing>ArtificialIntelligence',
    'artificial intelligence, ai, machine learning, neural network, deep learning, language model, chatbot, chatgpt, algorithm, training data, llm',
  ),
  t(
    'Technology&Computing>Computing>ComputerSoftwareAndApplications',
    'software, app, application, apps, update, users, feature, bug, release, version, interface',
  ),
  t(
    'Technology&Computing>Computing>ProgrammingLanguages',
    'programming, code, developer, developers, javascript, python, api, github, compiler, debugging, repository',
  ),
  t(
    'Technology&Computing>Computing>ComputerNetworking',
    'network, wifi, router, bandwidth, broadband, internet connection, latency, ethernet, 5g',
  ),
  t(
    'Technology&Computing>Computing>InformationAndNetworkSecurity',
    'cybersecurity, hackers, hacking, malware, ransomware, phishing, password, data breach, encryption, firewall, vulnerability',
  ),
  t(
    'Technology&Computing>Computing>DataStorageAndWarehousing',
    'database, data center, cloud storage, server, servers, backup, aws, data warehouse',
  ),
  t(
    'Technology&Computing>ConsumerElectronics',
    'smartphone, iphone, android, laptop, tablet, headphones, smartwatch, gadget, television set, camera, samsung, apple',
  ),
  t('Technology&Computing>Robotics', 'robot, robots, robotics, automation, drone, drones'),
  t(
    'Technology&Computing>VirtualReality',
    'virtual reality, vr headset, augmented reality, metaverse, oculus',
  ),
  // Travel
  t(
    'Travel',
    'travel, trip, vacation, tourist, tourism, destination, itinerary, passport, luggage, sightseeing',
  ),
  t(
    'Travel>TravelType>AirTravel',
    'flight, flights, airline, airport, boarding pass, layover, pilot, plane, jet lag',
  ),
  t('Travel>TravelType>Cruises', 'cruise, cruise ship, cabin, port of call, deck'),
  t('Travel>TravelAccessories', 'suitcase, backpack, travel pillow, carry-on'),
  t('Travel>TravelType>BeachTravel', 'beach, ocean, surfing, sand, island, resort, snorkeling'),
  t('Travel>TravelLocations>PolarTravel', 'arctic, antarctica, glacier, polar bear, icebergs, north pole'),
  t('Travel>TravelType>Camping', 'camping, tent, campfire, hiking, trail, national park, backpacking'),
  t(
    'Travel>TravelType>HotelsAndMotels',
    'hotel, hotels, motel, check-in, room service, booking, airbnb, reservation',
  ),
  // Video gaming
  t(
    'VideoGaming',
    'video game, video games, gaming, gamers, console, playstation, xbox, nintendo, multiplayer, twitch',
  ),
  t('VideoGaming>PCGames', 'pc gaming, steam, graphics card, gaming pc, mods'),
  t('VideoGaming>eSports', 'esports, tournament, pro gamers, league of legends, twitch streamers'),
  t('VideoGaming>MobileGames', 'mobile game, mobile games, in-app purchases'),
];
